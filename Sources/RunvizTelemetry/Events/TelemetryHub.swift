// Where the runtime's telemetry meets its reader. The runtime registers one EventRing per
// recording thread and one WorkerCounters per worker here; the Aggregator drains and reads them.
// `enabled` switches event recording off at run time (counters stay on: they are plain stores),
// so the cost of instrumentation can be measured by toggling it.

import Synchronization

public final class TelemetryHub: Sendable {
    private static let nextID = Atomic<UInt64>(1)
    /// Distinguishes hubs, so a thread's ring is only used for the hub that made it.
    public let id: UInt64
    public let ringCapacity: Int
    public let names = NameTable()
    public let workers: [WorkerCounters]
    private let enabledFlag: Atomic<Bool>
    private let ringList = Mutex<[EventRing]>([])
    /// Jobs run on the blocking pool, and how many of its threads are busy right now.
    public let blockingBusy = Atomic<Int>(0)
    public let blockingThreads = Atomic<Int>(0)
    public let blockingQueued = Atomic<Int>(0)
    public let blockingRuns = Atomic<UInt64>(0)
    /// Jobs in the global inject queue.
    public let injectDepth = Atomic<Int>(0)
    /// Tasks spawned and finished (completed or cancelled), counted even when events are off.
    public let tasksSpawned = Atomic<UInt64>(0)
    public let tasksFinished = Atomic<UInt64>(0)

    public init(workerCount: Int, ringCapacity: Int = 1 << 14, enabled: Bool = true) {
        self.id = Self.nextID.add(1, ordering: .relaxed).oldValue
        self.ringCapacity = ringCapacity
        self.workers = (0..<workerCount).map { WorkerCounters(index: $0) }
        self.enabledFlag = Atomic(enabled)
    }

    /// Whether events are being recorded.
    public var enabled: Bool {
        get { enabledFlag.load(ordering: .relaxed) }
        set { enabledFlag.store(newValue, ordering: .relaxed) }
    }

    /// Creates and registers a ring for a new recording thread.
    public func makeRing(label: String) -> EventRing {
        let ring = EventRing(capacity: ringCapacity, label: label, owner: id)
        ringList.withLock { $0.append(ring) }
        return ring
    }

    public var rings: [EventRing] { ringList.withLock { $0 } }

    /// Events discarded by full rings, all threads.
    public var dropped: UInt64 { rings.reduce(0) { $0 + $1.dropped } }
}

extension TelemetryHub {
    /// Every published counter, now (relaxed loads: each value is current, the set is not a
    /// consistent cut, which no frame needs).
    public func readCounters() -> CounterReading {
        CounterReading(
            workers: workers.map { w in
                CounterReading.Worker(
                    index: w.index, runs: w.runs.load(ordering: .relaxed),
                    busyNanos: w.busyNanos.load(ordering: .relaxed),
                    steals: w.steals.load(ordering: .relaxed), parks: w.parks.load(ordering: .relaxed),
                    localQueueDepth: w.localDepth.load(ordering: .relaxed), activity: w.currentActivity,
                    currentTask: w.currentTask.load(ordering: .relaxed),
                    jobStartedAt: w.jobStarted.load(ordering: .relaxed))
            },
            injectQueueDepth: injectDepth.load(ordering: .relaxed),
            blockingPool: BlockingPoolSnapshot(
                threads: blockingThreads.load(ordering: .relaxed), busy: blockingBusy.load(ordering: .relaxed),
                queued: blockingQueued.load(ordering: .relaxed), completed: blockingRuns.load(ordering: .relaxed)),
            tasksSpawned: tasksSpawned.load(ordering: .relaxed), tasksFinished: tasksFinished.load(ordering: .relaxed),
            droppedEvents: dropped, eventsEnabled: enabled)
    }
}
