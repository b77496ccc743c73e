// One worker's published metrics (tokio's metrics/worker.rs): totals, and what the worker is doing
// right now. Read-only to the world: public getters return plain values; only RunvizRuntime writes,
// through `package` methods, with relaxed stores of values it already holds. The runtime never reads
// them back to decide anything — its own state (the worker's park state, queue depths, the running
// job) lives in RunvizRuntime — so a reader (the aggregator, a test, the CLI) can never change which
// worker is woken. Writers: the totals and the running job by the worker thread alone (an increment
// is a load and a store, no read-modify-write); the queue depth under its queue's lock. The storage
// is internal but `@usableFromInline`, and the writers `@inlinable`, so in the runtime each write
// compiles to the plain store it was before (no call across the module boundary per job).

import Synchronization

public final class WorkerMetrics: Sendable {
    public let index: Int
    @usableFromInline let runCount = Atomic<UInt64>(0)
    @usableFromInline let busyNanosTotal = Atomic<UInt64>(0)
    @usableFromInline let stealCount = Atomic<UInt64>(0)
    @usableFromInline let parkCount = Atomic<UInt64>(0)
    @usableFromInline let queueDepth = Atomic<Int>(0)
    @usableFromInline let activityRaw = Atomic<UInt8>(WorkerActivity.searching.rawValue)
    @usableFromInline let runningTask = Atomic<UInt64>(0)
    @usableFromInline let runningSince = Atomic<UInt64>(0)

    public init(index: Int) { self.index = index }

    /// Jobs run (the primer's polls).
    public var runs: UInt64 { runCount.load(ordering: .relaxed) }
    /// Nanoseconds spent running jobs (finished jobs only).
    public var busyNanos: UInt64 { busyNanosTotal.load(ordering: .relaxed) }
    /// Jobs taken from other workers' queues.
    public var steals: UInt64 { stealCount.load(ordering: .relaxed) }
    /// Times this worker went to sleep.
    public var parks: UInt64 { parkCount.load(ordering: .relaxed) }
    /// Jobs waiting in this worker's local queue.
    public var localQueueDepth: Int { queueDepth.load(ordering: .relaxed) }
    public var activity: WorkerActivity { WorkerActivity(rawValue: activityRaw.load(ordering: .relaxed)) ?? .searching }
    /// The task whose job is running (0: none).
    public var currentTask: UInt64 { runningTask.load(ordering: .relaxed) }
    /// When the running job started (monotonic ns; 0: no job running).
    public var jobStartedAt: UInt64 { runningSince.load(ordering: .relaxed) }
}

extension WorkerMetrics {
    @inlinable
    package func jobStarted(task: UInt64, at time: UInt64) {
        runningTask.store(task, ordering: .relaxed)
        runningSince.store(time, ordering: .relaxed)
        activityRaw.store(WorkerActivity.running.rawValue, ordering: .relaxed)
    }

    @inlinable
    package func jobFinished(busyNanos: UInt64) {
        runningSince.store(0, ordering: .relaxed)
        runningTask.store(0, ordering: .relaxed)
        Self.increment(runCount, by: 1)
        Self.increment(busyNanosTotal, by: busyNanos)
    }

    @inlinable
    package func stole(_ jobs: Int) { Self.increment(stealCount, by: UInt64(jobs)) }

    @inlinable
    package func parked() { Self.increment(parkCount, by: 1) }

    @inlinable
    package func setLocalQueueDepth(_ depth: Int) { queueDepth.store(depth, ordering: .relaxed) }

    @inlinable
    package func setActivity(_ activity: WorkerActivity) { activityRaw.store(activity.rawValue, ordering: .relaxed) }

    /// Single writer, so a load and a store suffice (no locked instruction on the hot path).
    @inlinable
    static func increment(_ counter: borrowing Atomic<UInt64>, by value: UInt64) {
        counter.store(counter.load(ordering: .relaxed) &+ value, ordering: .relaxed)
    }
}
