// Every metric the exporter publishes: its name and its HELP line, which says exactly what is
// counted. The article PrometheusMetrics (RunvizWatch.docc) lists the same names.

import Prometheus

extension MetricsExporter {
    static var workerBusy: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "worker_busy", unitName: "seconds_total",
            helpText: "Seconds this worker thread spent running jobs, counted when each job returns.")
    }
    static var workerPolls: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "worker_polls", unitName: "total",
            helpText: "Jobs (task polls) this worker thread ran to their return.")
    }
    static var workerSteals: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "worker_steals", unitName: "total",
            helpText: "Jobs this worker thread took from other workers' local queues.")
    }
    static var workerParks: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "worker_parks", unitName: "total",
            helpText: "Times this worker thread went to sleep for want of work.")
    }
    static var tasks: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "tasks", unitName: "",
            helpText:
                "Live tasks (spawned, not finished) by state: running (a worker runs its job), ready (a job in a run queue), waiting (the rest: parked on I/O, a timer, a lock, a channel, a join)."
        )
    }
    static var readyQueueDepth: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "ready_queue_depth", unitName: "",
            helpText:
                "Jobs waiting in a run queue: queue=\"inject\" is the shared queue, queue=\"local\" a worker's own.")
    }
    static var scheduleLatency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "schedule_latency", unitName: "seconds",
            helpText: "From a task entering a run queue (its wake) to the start of its next job on a worker.")
    }
    static var pollDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "poll_duration", unitName: "seconds",
            helpText: "How long each job (one poll of a task) ran on a worker, from its start to its return.")
    }
    static var registeredFDs: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "registered_fds", unitName: "",
            helpText: "File descriptors registered with the runtime's epoll instance.")
    }
    static var blockedWorkers: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "blocked_workers", unitName: "",
            helpText: "Worker threads whose current job has run longer than the blocked threshold.")
    }
    static var blockingPoolThreads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "blocking_pool_threads", unitName: "",
            helpText: "Threads in the blocking pool (spawnBlocking), busy or idle.")
    }
    static var eventsDropped: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "runviz", metricName: "events_dropped", unitName: "total",
            helpText: "Runtime events discarded because a thread's event ring was full (counters are unaffected).")
    }
}
