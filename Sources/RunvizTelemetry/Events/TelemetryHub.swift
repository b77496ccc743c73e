// Where the runtime's telemetry meets its reader. The runtime registers one EventRing per
// recording thread here, and publishes one WorkerMetrics per worker and one RuntimeMetrics; readers
// drain the rings and take a CounterReading. Metrics are read-only outside RunvizRuntime, and the
// runtime never decides from them. `enabled` switches event recording off at run time (metrics stay
// on: they are plain stores), so the cost of instrumentation can be measured by toggling it.

import RunvizLock
import Synchronization

public final class TelemetryHub: Sendable {
    private static let nextID = Atomic<UInt64>(1)
    /// Distinguishes hubs, so a thread's ring is only used for the hub that made it.
    public let id: UInt64
    public let ringCapacity: Int
    public let names = NameTable()
    public let workers: [WorkerMetrics]
    /// The inject queue, task and blocking-pool metrics.
    public let metrics = RuntimeMetrics()
    @usableFromInline let enabledFlag: Atomic<Bool>
    private let ringList = Lock<[EventRing]>([])

    public init(workerCount: Int, ringCapacity: Int = 1 << 14, enabled: Bool = true) {
        self.id = Self.nextID.add(1, ordering: .relaxed).oldValue
        self.ringCapacity = ringCapacity
        self.workers = (0..<workerCount).map { WorkerMetrics(index: $0) }
        self.enabledFlag = Atomic(enabled)
    }

    /// Whether events are being recorded.
    public var enabled: Bool {
        @inlinable get { enabledFlag.load(ordering: .relaxed) }
        set { enabledFlag.store(newValue, ordering: .relaxed) }
    }

    /// Creates and registers a ring for a new recording thread.
    package func makeRing(label: String) -> EventRing {
        let ring = EventRing(capacity: ringCapacity, label: label, owner: id)
        ringList.withLock { $0.append(ring) }
        return ring
    }

    public var rings: [EventRing] { ringList.withLock { $0 } }

    /// Events discarded by full rings, all threads.
    public var dropped: UInt64 { rings.reduce(0) { $0 + $1.dropped } }
}

extension TelemetryHub {
    /// Every published metric, now (relaxed loads: each value is current, the set is not a
    /// consistent cut, which no frame needs).
    public func readCounters() -> CounterReading {
        CounterReading(
            workers: workers.map { w in
                CounterReading.Worker(
                    index: w.index, runs: w.runs, busyNanos: w.busyNanos, steals: w.steals, parks: w.parks,
                    localQueueDepth: w.localQueueDepth, activity: w.activity, currentTask: w.currentTask,
                    jobStartedAt: w.jobStartedAt)
            },
            injectQueueDepth: metrics.injectQueueDepth, blockingPool: metrics.blockingPool,
            tasksSpawned: metrics.tasksSpawned, tasksFinished: metrics.tasksFinished, droppedEvents: dropped,
            eventsEnabled: enabled)
    }
}
