// The exporter against constructed observations: exact exposition lines for counters, gauges and
// both histograms; counters that never go down across turns (even when a reading does); bucket
// counts that match the intervals between constructed events; a HELP and a TYPE line per metric.

import Prometheus
import RunvizMetrics
import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct MetricsExporterTests {
    static let threshold: UInt64 = 10_000_000

    static func worker(
        _ index: Int, runs: UInt64 = 0, busy: UInt64 = 0, steals: UInt64 = 0, parks: UInt64 = 0, local: Int = 0,
        activity: WorkerActivity = .parked, task: UInt64 = 0, since: UInt64 = 0
    ) -> CounterReading.Worker {
        CounterReading.Worker(
            index: index, runs: runs, busyNanos: busy, steals: steals, parks: parks, localQueueDepth: local,
            activity: activity, currentTask: task, jobStartedAt: since)
    }

    @Test func countersAndGaugesReadAsExactLines() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold)
        let counters = CounterReading(
            workers: [
                Self.worker(0, runs: 12, busy: 500_000_000, steals: 3, parks: 4, local: 2),
                Self.worker(
                    1, runs: 7, busy: 250_000_000, parks: 1, activity: .running, task: 9, since: 1_000_000_000),
            ],
            injectQueueDepth: 1, blockingPool: BlockingPoolSnapshot(threads: 2, busy: 1), tasksSpawned: 10,
            tasksFinished: 4, droppedEvents: 5)
        let events = [
            RuntimeEvent(time: 10, kind: .fdRegistered, arg: 5), RuntimeEvent(time: 11, kind: .fdRegistered, arg: 6),
            RuntimeEvent(time: 12, kind: .fdDeregistered, arg: 5),
        ]
        // 20 ms into worker 1's job: past the 10 ms threshold.
        exporter.record(Observation(turn: .update, now: 1_020_000_000, events: events, counters: counters))
        let lines = exporter.registry.lines
        for line in [
            #"runviz_worker_polls_total{worker="0"} 12"#, #"runviz_worker_polls_total{worker="1"} 7"#,
            #"runviz_worker_busy_seconds_total{worker="0"} 0.5"#, #"runviz_worker_busy_seconds_total{worker="1"} 0.25"#,
            #"runviz_worker_steals_total{worker="0"} 3"#, #"runviz_worker_steals_total{worker="1"} 0"#,
            #"runviz_worker_parks_total{worker="0"} 4"#, #"runviz_worker_parks_total{worker="1"} 1"#,
            #"runviz_ready_queue_depth{queue="inject"} 1.0"#,
            #"runviz_ready_queue_depth{queue="local",worker="0"} 2.0"#,
            #"runviz_ready_queue_depth{queue="local",worker="1"} 0.0"#,
            // 6 live: 1 running (worker 1), 3 ready (1 + 2 queued jobs), 2 waiting.
            #"runviz_tasks{state="running"} 1.0"#, #"runviz_tasks{state="ready"} 3.0"#,
            #"runviz_tasks{state="waiting"} 2.0"#,
            "runviz_registered_fds 1.0", "runviz_blocked_workers 1.0", "runviz_blocking_pool_threads 2.0",
            "runviz_events_dropped_total 5",
        ] {
            #expect(lines.contains(line), "\(line)")
        }
    }

    @Test func everyMetricHasItsHelpAndTypeLine() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold)
        exporter.record(Observation(turn: .update, now: 1, counters: .idle(workers: 1)))
        let lines = exporter.registry.lines
        let types: [(String, String)] = [
            ("runviz_worker_busy_seconds_total", "counter"), ("runviz_worker_polls_total", "counter"),
            ("runviz_worker_steals_total", "counter"), ("runviz_worker_parks_total", "counter"),
            ("runviz_tasks", "gauge"), ("runviz_ready_queue_depth", "gauge"),
            ("runviz_schedule_latency_seconds", "histogram"), ("runviz_poll_duration_seconds", "histogram"),
            ("runviz_registered_fds", "gauge"), ("runviz_blocked_workers", "gauge"),
            ("runviz_blocking_pool_threads", "gauge"), ("runviz_events_dropped_total", "counter"),
        ]
        for (name, type) in types {
            #expect(lines.contains("# TYPE \(name) \(type)"), "\(name)")
            #expect(lines.contains { $0.hasPrefix("# HELP \(name) ") && $0.count > name.count + 20 }, "\(name)")
        }
        #expect(lines.filter { $0.hasPrefix("# TYPE ") }.count == types.count)
    }

    @Test func countersNeverGoDownAcrossTurns() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold)
        func turn(runs: UInt64, busy: UInt64, dropped: UInt64) -> Set<String> {
            exporter.record(
                Observation(
                    turn: .frame, now: 1,
                    counters: CounterReading(workers: [Self.worker(0, runs: runs, busy: busy)], droppedEvents: dropped))
            )
            return exporter.registry.lines
        }
        #expect(turn(runs: 12, busy: 500_000_000, dropped: 2).contains(#"runviz_worker_polls_total{worker="0"} 12"#))
        let second = turn(runs: 20, busy: 750_000_000, dropped: 2)
        #expect(second.contains(#"runviz_worker_polls_total{worker="0"} 20"#))
        #expect(second.contains(#"runviz_worker_busy_seconds_total{worker="0"} 0.75"#))
        #expect(second.contains("runviz_events_dropped_total 2"))
        // A lower reading (another runtime's) moves the baseline; the published total stays.
        let lower = turn(runs: 5, busy: 0, dropped: 0)
        #expect(lower.contains(#"runviz_worker_polls_total{worker="0"} 20"#))
        #expect(lower.contains(#"runviz_worker_busy_seconds_total{worker="0"} 0.75"#))
        let after = turn(runs: 8, busy: 250_000_000, dropped: 1)
        #expect(after.contains(#"runviz_worker_polls_total{worker="0"} 23"#))
        #expect(after.contains(#"runviz_worker_busy_seconds_total{worker="0"} 1.0"#))
        #expect(after.contains("runviz_events_dropped_total 3"))
    }

    @Test func histogramBucketsCountTheConstructedIntervals() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold)
        let us: UInt64 = 1_000
        // Task 5: ready at 0, runs 3 µs later for 20 µs. Task 6: ready at 100 µs, runs 2 ms later
        // for 40 ms on worker 1; its finish arrives in the next observation.
        let first = [
            RuntimeEvent(time: 0, kind: .scheduled, task: 5, worker: RuntimeEvent.injectQueue),
            RuntimeEvent(time: 100 * us, kind: .scheduled, task: 6, worker: 1),
            RuntimeEvent(time: 3 * us, kind: .runStarted, task: 5, worker: 0),
            RuntimeEvent(time: 23 * us, kind: .runFinished, task: 5, worker: 0),
            RuntimeEvent(time: 2_100 * us, kind: .runStarted, task: 6, worker: 1),
            // Task 0 (no task): its run is a poll, but its wake is not measured.
            RuntimeEvent(time: 30 * us, kind: .scheduled, task: 0, worker: 0),
            RuntimeEvent(time: 31 * us, kind: .runStarted, task: 0, worker: 0),
            RuntimeEvent(time: 32 * us, kind: .runFinished, task: 0, worker: 0),
        ].sorted { $0.time < $1.time }
        exporter.record(Observation(turn: .update, now: 3_000 * us, events: first, counters: .idle(workers: 2)))
        exporter.record(
            Observation(
                turn: .update, now: 50_000 * us,
                events: [RuntimeEvent(time: 42_100 * us, kind: .runFinished, task: 6, worker: 1)],
                counters: .idle(workers: 2)))
        let lines = exporter.registry.lines
        for line in [
            #"runviz_schedule_latency_seconds_bucket{le="2.5e-06"} 0"#,
            #"runviz_schedule_latency_seconds_bucket{le="5e-06"} 1"#,
            #"runviz_schedule_latency_seconds_bucket{le="0.001"} 1"#,
            #"runviz_schedule_latency_seconds_bucket{le="0.0025"} 2"#,
            #"runviz_schedule_latency_seconds_bucket{le="10.0"} 2"#,
            #"runviz_schedule_latency_seconds_bucket{le="+Inf"} 2"#,
            "runviz_schedule_latency_seconds_count 2",
            #"runviz_poll_duration_seconds_bucket{le="1e-06"} 1"#,
            #"runviz_poll_duration_seconds_bucket{le="1e-05"} 1"#,
            #"runviz_poll_duration_seconds_bucket{le="2.5e-05"} 2"#,
            #"runviz_poll_duration_seconds_bucket{le="0.025"} 2"#,
            #"runviz_poll_duration_seconds_bucket{le="0.05"} 3"#,
            #"runviz_poll_duration_seconds_bucket{le="+Inf"} 3"#,
            "runviz_poll_duration_seconds_count 3",
        ] {
            #expect(lines.contains(line), "\(line)")
        }
        let text = exporter.registry.emitToString()
        let waits = sample("runviz_schedule_latency_seconds_sum", in: text) ?? 0
        let jobs = sample("runviz_poll_duration_seconds_sum", in: text) ?? 0
        #expect(abs(waits - 0.002_003) < 1e-12, "\(waits)")
        #expect(abs(jobs - 0.040_021) < 1e-12, "\(jobs)")
        #expect(exporter.unmatchedWakes == 0)
    }

    @Test func registeredFDsComeFromTheLiveReadingWhenThereIsOne() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold, registeredFDs: { 42 })
        let events = [RuntimeEvent(time: 1, kind: .fdRegistered, arg: 5)]
        exporter.record(Observation(turn: .update, now: 2, events: events, counters: .idle(workers: 1)))
        #expect(exporter.registry.lines.contains("runviz_registered_fds 42.0"))
    }

    @Test func aFullSetOfPendingWakesGivesUpItsOldestAndCountsIt() {
        let exporter = MetricsExporter(blockedThresholdNanos: Self.threshold)
        // 20,000 tasks scheduled and never run fill the 16,384-slot table; each later wake evicts.
        let events = (1...20_000).map { RuntimeEvent(time: UInt64($0), kind: .scheduled, task: UInt64($0)) }
        exporter.record(Observation(turn: .update, now: 30_000, events: events, counters: .idle(workers: 1)))
        #expect(exporter.unmatchedWakes >= 20_000 - 16_384)
        // The most recent wake is still held: its run is measured.
        exporter.record(
            Observation(
                turn: .update, now: 40_000,
                events: [RuntimeEvent(time: 20_100, kind: .runStarted, task: 20_000, worker: 0)],
                counters: .idle(workers: 1)))
        #expect(exporter.registry.lines.contains("runviz_schedule_latency_seconds_count 1"))
    }
}
