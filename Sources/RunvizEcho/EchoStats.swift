// The echo server's statistics. Connection counts are atomics, exact at every instant (tests wait
// for them to return to baseline). Bytes and echoes are the primer's shared mutable state: each
// connection task batches its own counts and adds them, every 64 echoes or 100 ms and when it ends,
// to totals behind the runtime's AsyncMutex (Arc<Mutex<T>> in tokio); thread-per-connection
// threads, which cannot await, add theirs behind a plain lock. Server-side latency (read returned →
// echo written) goes into a lock-free log-bucket histogram.

import CRunvizLinux
import RunvizRuntime
import RunvizTelemetry
import Synchronization

public final class EchoStats: Sendable {
    public struct Totals: Sendable, Equatable {
        public var echoes: UInt64 = 0
        public var bytes: UInt64 = 0
        public init() {}
    }

    public let openTasks = Atomic<Int>(0)
    public let openThreads = Atomic<Int>(0)
    public let accepted = Atomic<UInt64>(0)
    public let connectionErrors = Atomic<UInt64>(0)
    public let acceptBackoffs = Atomic<UInt64>(0)
    /// Shared by connection tasks (async lock) …
    public let taskTotalsLock = AsyncMutex()
    nonisolated(unsafe) private var taskTotals = Totals()
    /// … and by connection threads (plain lock).
    private let threadTotals = Mutex(Totals())
    public let latency = LatencyHistogram()

    public init() {}

    /// Adds a connection task's batch; the caller holds no lock.
    func addFromTask(echoes: UInt64, bytes: UInt64) async {
        await taskTotalsLock.lock()
        taskTotals.echoes &+= echoes
        taskTotals.bytes &+= bytes
        taskTotalsLock.unlock()
    }

    func addFromThread(echoes: UInt64, bytes: UInt64) {
        threadTotals.withLock {
            $0.echoes &+= echoes
            $0.bytes &+= bytes
        }
    }

    /// Echoes and bytes so far (awaits the async lock, so call it from a task).
    public func totals() async -> Totals {
        await taskTotalsLock.lock()
        var t = taskTotals
        taskTotalsLock.unlock()
        let th = threadTotals.withLock { $0 }
        t.echoes &+= th.echoes
        t.bytes &+= th.bytes
        return t
    }

    public var openConnections: Int { openTasks.load(ordering: .relaxed) + openThreads.load(ordering: .relaxed) }
}

/// Latency histogram with power-of-two buckets split in 4 (≤ 19 % error), lock-free.
public final class LatencyHistogram: @unchecked Sendable {
    static let buckets = 64 * 4
    private let storage: UnsafeMutablePointer<UInt64>

    public init() {
        storage = .allocate(capacity: Self.buckets)
        storage.initialize(repeating: 0, count: Self.buckets)
    }

    deinit { storage.deallocate() }

    static func bucket(_ ns: UInt64) -> Int {
        if ns < 4 { return Int(ns) }
        let log = 63 - ns.leadingZeroBitCount
        let sub = Int((ns >> UInt64(log - 2)) & 3)
        return min(buckets - 1, log * 4 + sub)
    }

    static func lowerBound(_ bucket: Int) -> UInt64 {
        if bucket < 4 { return UInt64(bucket) }
        let log = bucket / 4
        let sub = UInt64(bucket % 4)
        return (1 << UInt64(log)) + sub << UInt64(log - 2)
    }

    public func record(_ ns: UInt64) {
        let b = Self.bucket(ns)
        runviz_atomic_add_u64(storage + b, 1)
    }

    /// A copy of the bucket counts.
    public func counts() -> [UInt64] { (0..<Self.buckets).map { runviz_atomic_load_u64(storage + $0) } }

    /// Percentile (0…100) of the values recorded between two `counts()` copies, in nanoseconds.
    public static func percentile(_ p: Double, from old: [UInt64], to new: [UInt64]) -> UInt64 {
        var delta = [UInt64](repeating: 0, count: buckets)
        var total: UInt64 = 0
        for i in 0..<buckets {
            delta[i] = new[i] &- (i < old.count ? old[i] : 0)
            total &+= delta[i]
        }
        guard total > 0 else { return 0 }
        let rank = UInt64((Double(total) * p / 100).rounded(.up))
        var seen: UInt64 = 0
        for i in 0..<buckets {
            seen &+= delta[i]
            if seen >= max(rank, 1) { return lowerBound(i + 1) }
        }
        return lowerBound(buckets - 1)
    }
}
