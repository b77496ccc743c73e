// Where the runtime's telemetry meets its reader. The runtime registers one EventRing per
// recording thread here, and publishes one WorkerMetrics per worker and one RuntimeMetrics; readers
// drain the rings and take a CounterReading. Metrics are read-only outside RunvizRuntime, and the
// runtime never decides from them. `enabled` switches event recording off at run time (metrics stay
// on: they are plain stores), so the cost of instrumentation can be measured by toggling it.
//
// A thread that comes and goes (a blocking-pool thread) borrows a ring with `lendRing` and gives it
// back with `returnRing` when it exits. A returned ring stays in `rings` until its reader has drained
// it: the next `rings` after that lets it go, and its dropped count is kept in `dropped`. A returned
// ring, drained or not, is lent again before a new one is made (it keeps the label it was made
// with), so without a reader the returned rings are at most the most threads that held one at once.

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
    private let ringList = Lock(RingList())

    private struct RingList {
        /// Every ring a reader drains.
        var all: [EventRing] = []
        /// Returned rings, not lent again yet: no thread records into them.
        var returned: [EventRing] = []
        /// What the rings let go had dropped.
        var releasedDropped: UInt64 = 0
        /// Lent rings not let go yet, and the bytes they map.
        var lent = 0
        var lentBytes = 0
    }

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
    package func makeRing(label: String, capacity: Int? = nil) -> EventRing {
        let ring = EventRing(capacity: capacity ?? ringCapacity, label: label, owner: id)
        ringList.withLock { $0.all.append(ring) }
        return ring
    }

    /// A ring of `capacity` events for a thread that will give it back (`returnRing`) when it
    /// exits: a returned one if there is one, else a new one.
    package func lendRing(label: String, capacity: Int) -> EventRing {
        ringList.withLock { list in
            if let i = list.returned.lastIndex(where: { $0.capacity == capacity }) {
                return list.returned.remove(at: i)
            }
            // Made under the lock, so a ring is new only when none was waiting: the lent rings are
            // never more than the threads that held one at once.
            let ring = EventRing(capacity: capacity, label: label, owner: id)
            list.all.append(ring)
            list.lent += 1
            list.lentBytes += ring.bytes
            return ring
        }
    }

    /// Gives back a lent ring; the calling thread records into it no more.
    package func returnRing(_ ring: EventRing) {
        ringList.withLock { $0.returned.append(ring) }
    }

    /// The rings to drain. Returned rings already drained empty are let go here, not listed.
    public var rings: [EventRing] {
        ringList.withLock { list in
            if !list.returned.isEmpty { Self.releaseDrained(&list) }
            return list.all
        }
    }

    private static func releaseDrained(_ list: inout RingList) {
        let drained = list.returned.filter { $0.count == 0 }
        guard !drained.isEmpty else { return }
        let gone = Set(drained.map(ObjectIdentifier.init))
        list.returned.removeAll { gone.contains(ObjectIdentifier($0)) }
        list.all.removeAll { gone.contains(ObjectIdentifier($0)) }
        list.releasedDropped += drained.reduce(0) { $0 + $1.dropped }
        list.lent -= drained.count
        list.lentBytes -= drained.reduce(0) { $0 + $1.bytes }
    }

    /// Lent rings not yet let go (in use, or returned and not yet drained), and the bytes they map.
    package var lentRings: (count: Int, bytes: Int) {
        ringList.withLock { ($0.lent, $0.lentBytes) }
    }

    /// Events discarded by full rings, all threads (the rings let go included).
    public var dropped: UInt64 {
        ringList.withLock { list in list.all.reduce(list.releasedDropped) { $0 + $1.dropped } }
    }
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
