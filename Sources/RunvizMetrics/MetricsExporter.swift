// The runtime's figures as Prometheus metrics, named in the style of the OpenTelemetry runtime
// conventions (`runviz_worker_polls_total{worker="0"}`, `runviz_schedule_latency_seconds`, ...).
//
// An ObservationSink: `record` runs on the observer's thread after each turn and updates a
// `PrometheusCollectorRegistry`, which the MetricsServer's thread renders on a scrape (the
// registry's own locks and atomics are the only state the two threads share). It reads the
// observation directly rather than keeping a second `Observer`: the counters each turn (a few
// dozen relaxed stores), and of the events only what the two histograms need — a scheduled →
// runStarted pair per task (PendingRuns) and each worker's jobs (WorkerSpells). Nothing
// is allocated per event; the per-worker series are registered the first time a worker appears.
//
// Invariants: counters only go up. They come from the cumulative CounterReading, and each turn
// adds the rise since the last reading (a reading lower than the last, which only a different
// runtime could give, moves the baseline without a drop). Gauges are the last turn's values.
// Histograms count each measured interval once, when its second event arrives.
//
// Labels: per-worker series carry `worker="N"`. `runviz_ready_queue_depth` has one series for the
// shared inject queue, `{queue="inject"}`, and one per worker's local queue,
// `{queue="local",worker="N"}`: `sum(runviz_ready_queue_depth)` is every ready job.

import Prometheus
import RunvizObservation
import RunvizTelemetry

public final class MetricsExporter: ObservationSink, @unchecked Sendable {
    // @unchecked: everything below but `registry` is read and written by the observer's thread
    // alone (`record`); the scrape side only ever touches `registry`.

    /// What the MetricsServer renders.
    public let registry: PrometheusCollectorRegistry
    /// A job running longer than this marks its worker blocked (the runtime's configured threshold).
    public let blockedThresholdNanos: UInt64
    /// A live reading of the registered fds; without it they are counted from the events.
    private let registeredFDsReading: (@Sendable () -> Int)?

    /// Bucket bounds in seconds, from 1 µs to 10 s, three per decade: a wake or a job on an idle
    /// machine is a few µs, a stalled one seconds. Seconds as Double rather than Duration: a
    /// histogram compares each value with every bound, and a Double compare is one instruction
    /// where Duration's is a call (it was a sixth of the exporter's time).
    public static let latencyBuckets: [Double] = [
        1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10,
    ]

    private struct WorkerSeries {
        let polls: Counter
        let busy: Counter
        let steals: Counter
        let parks: Counter
        let localQueue: Gauge
    }

    /// The last reading's cumulative totals per worker, the baseline of the next rise.
    private struct WorkerTotals {
        var runs: UInt64 = 0
        var busyNanos: UInt64 = 0
        var steals: UInt64 = 0
        var parks: UInt64 = 0
    }

    @exclusivity(unchecked) private var workers: [WorkerSeries] = []
    @exclusivity(unchecked) private var totals: [WorkerTotals] = []
    @exclusivity(unchecked) private var droppedTotal: UInt64 = 0
    private let injectQueue: Gauge
    private let tasksRunning: Gauge
    private let tasksReady: Gauge
    private let tasksWaiting: Gauge
    private let registeredFDs: Gauge
    private let blockedWorkers: Gauge
    private let blockingThreads: Gauge
    private let droppedEvents: Counter
    private let scheduleLatency: ValueHistogram
    private let pollDuration: ValueHistogram

    private let pending = PendingRuns()
    /// Each worker's running job, for its poll duration: every worker byte an event can carry.
    @exclusivity(unchecked) private var spells = WorkerSpells(workers: 256)
    /// fdRegistered less fdDeregistered events, when there is no live reading.
    @exclusivity(unchecked) private var fdsFromEvents = 0

    /// - Parameters:
    ///   - blockedThresholdNanos: the runtime's blocked threshold (`ObservedSetup.configuration`).
    ///   - registeredFDs: a live count of the fds registered with epoll (the runtime's own); nil to
    ///     count them from fdRegistered/fdDeregistered events (a recording, or events all kept).
    public init(
        blockedThresholdNanos: UInt64, registeredFDs: (@Sendable () -> Int)? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.registry = registry
        self.blockedThresholdNanos = blockedThresholdNanos
        registeredFDsReading = registeredFDs
        injectQueue = registry.makeGauge(descriptor: Self.readyQueueDepth, labels: [("queue", "inject")])
        tasksRunning = registry.makeGauge(descriptor: Self.tasks, labels: [("state", "running")])
        tasksReady = registry.makeGauge(descriptor: Self.tasks, labels: [("state", "ready")])
        tasksWaiting = registry.makeGauge(descriptor: Self.tasks, labels: [("state", "waiting")])
        self.registeredFDs = registry.makeGauge(descriptor: Self.registeredFDs)
        blockedWorkers = registry.makeGauge(descriptor: Self.blockedWorkers)
        blockingThreads = registry.makeGauge(descriptor: Self.blockingPoolThreads)
        droppedEvents = registry.makeCounter(descriptor: Self.eventsDropped)
        scheduleLatency = registry.makeValueHistogram(descriptor: Self.scheduleLatency, buckets: Self.latencyBuckets)
        pollDuration = registry.makeValueHistogram(descriptor: Self.pollDuration, buckets: Self.latencyBuckets)
    }

    public var recordingStatus: RecordingStatus? { nil }

    /// Scheduled → runStarted waits that went unmeasured because the pending table was full.
    public var unmatchedWakes: UInt64 { pending.evicted }

    public func record(_ observation: Observation) {
        for e in observation.events {
            let fact = e.fact
            switch fact {
            case .scheduled(let task, _, _, _, _): pending.scheduled(task.raw, at: e.time)
            case .runStarted(let task, _):
                _ = spells.take(fact, at: e.time)
                if let ready = pending.started(task.raw), e.time >= ready {
                    scheduleLatency.record(Double(e.time - ready) / 1e9)
                }
            case .runFinished:
                if let ran = spells.take(fact, at: e.time)?.ended, let started = ran.start, e.time >= started {
                    pollDuration.record(Double(e.time - started) / 1e9)
                }
            case .workerParked, .workerUnparked: _ = spells.take(fact, at: e.time)
            case .fdRegistered: fdsFromEvents += 1
            case .fdDeregistered: fdsFromEvents -= 1
            case .spawned, .parked, .completed, .cancelled, .fdReady, .workerBlocked, .stole, .blockingStarted,
                .blockingFinished, .timerFired, .wrote, .handleAwaited, .handleDropped:
                break
            }
        }
        publish(observation.counters, now: observation.now)
    }

    /// The counters' rise since the last turn, and this turn's gauges.
    private func publish(_ c: CounterReading, now: UInt64) {
        var running = 0
        var blocked = 0
        for w in c.workers {
            let i = w.index
            // A runtime has at most 64 workers; a reading naming another index is not one of them.
            guard (0..<256).contains(i) else { continue }
            if i >= workers.count { addWorkers(upTo: i) }
            let series = workers[i]
            series.polls.increment(by: Self.rise(&totals[i].runs, to: w.runs))
            let busy = Self.rise(&totals[i].busyNanos, to: w.busyNanos)
            if busy > 0 { series.busy.increment(by: Double(busy) / 1e9) }
            series.steals.increment(by: Self.rise(&totals[i].steals, to: w.steals))
            series.parks.increment(by: Self.rise(&totals[i].parks, to: w.parks))
            series.localQueue.set(to: Double(w.localQueueDepth))
            guard w.activity == .running || w.activity == .blockedOnLock, w.jobStartedAt != 0 else { continue }
            if w.currentTask != 0 { running += 1 }
            if now > w.jobStartedAt, now - w.jobStartedAt > blockedThresholdNanos { blocked += 1 }
        }
        injectQueue.set(to: Double(c.injectQueueDepth))
        let live = max(0, c.liveTasks)
        running = min(running, live)
        let ready = min(c.readyDepth, live - running)
        tasksRunning.set(to: Double(running))
        tasksReady.set(to: Double(ready))
        tasksWaiting.set(to: Double(live - running - ready))
        registeredFDs.set(to: Double(max(0, registeredFDsReading?() ?? fdsFromEvents)))
        blockedWorkers.set(to: Double(blocked))
        blockingThreads.set(to: Double(c.blockingPool.threads))
        droppedEvents.increment(by: Self.rise(&droppedTotal, to: c.droppedEvents))
    }

    /// How far `total` rose to `value`, moving the baseline; 0 when it did not rise.
    private static func rise(_ total: inout UInt64, to value: UInt64) -> Int64 {
        defer { total = value }
        return value > total ? Int64(clamping: value - total) : 0
    }

    private func addWorkers(upTo index: Int) {
        while workers.count <= index {
            let labels = [("worker", String(workers.count))]
            workers.append(
                WorkerSeries(
                    polls: registry.makeCounter(descriptor: Self.workerPolls, labels: labels),
                    busy: registry.makeCounter(descriptor: Self.workerBusy, labels: labels),
                    steals: registry.makeCounter(descriptor: Self.workerSteals, labels: labels),
                    parks: registry.makeCounter(descriptor: Self.workerParks, labels: labels),
                    localQueue: registry.makeGauge(
                        descriptor: Self.readyQueueDepth, labels: [("queue", "local")] + labels)))
            totals.append(WorkerTotals())
        }
    }
}
