// Totals and the live state of one worker thread, written by that worker with relaxed stores and
// read racily by the aggregator and the watchdog. Counters are monotonic; `activity`, `currentTask`
// and `jobStarted` describe what the worker is doing right now.

import Synchronization

public final class WorkerCounters: Sendable {
    public let index: Int
    /// Jobs run (the primer's polls).
    public let runs = Atomic<UInt64>(0)
    /// Nanoseconds spent running jobs.
    public let busyNanos = Atomic<UInt64>(0)
    /// Jobs taken from other workers' queues.
    public let steals = Atomic<UInt64>(0)
    /// Times this worker went to sleep.
    public let parks = Atomic<UInt64>(0)
    /// Jobs waiting in this worker's local queue.
    public let localDepth = Atomic<Int>(0)
    /// A `WorkerActivity` raw value.
    public let activity = Atomic<UInt8>(WorkerActivity.searching.rawValue)
    /// The task whose job is running (0: none).
    public let currentTask = Atomic<UInt64>(0)
    /// When the running job started (monotonic ns; 0: not running).
    public let jobStarted = Atomic<UInt64>(0)
    /// Set by the watchdog once per over-long job, so it reports each block once.
    public let blockReported = Atomic<UInt64>(0)

    public init(index: Int) { self.index = index }

    @inline(__always)
    public func add(_ counter: borrowing Atomic<UInt64>, _ value: UInt64) {
        counter.store(counter.load(ordering: .relaxed) &+ value, ordering: .relaxed)
    }

    public var currentActivity: WorkerActivity {
        WorkerActivity(rawValue: activity.load(ordering: .relaxed)) ?? .searching
    }
}
