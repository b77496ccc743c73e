// The runtime-wide published metrics: the inject queue's depth, tasks spawned and finished, timers
// fired, and the blocking pool's threads and jobs. Read-only to the world like WorkerMetrics: public getters, and
// `package` writers that RunvizRuntime calls with values it already has. The runtime keeps its own
// copy of anything it decides from (the inject queue's depth, the pool's thread count). Storage and
// writers are inlinable into the runtime, as in WorkerMetrics.

import Synchronization

public final class RuntimeMetrics: Sendable {
    @usableFromInline let injectDepth = Atomic<Int>(0)
    @usableFromInline let spawned = Atomic<UInt64>(0)
    @usableFromInline let finished = Atomic<UInt64>(0)
    @usableFromInline let blockingThreads = Atomic<Int>(0)
    @usableFromInline let blockingBusy = Atomic<Int>(0)
    @usableFromInline let blockingQueued = Atomic<Int>(0)
    @usableFromInline let blockingRuns = Atomic<UInt64>(0)
    @usableFromInline let timers = Atomic<UInt64>(0)

    public init() {}

    /// Jobs in the global inject queue.
    public var injectQueueDepth: Int { injectDepth.load(ordering: .relaxed) }
    /// Tasks spawned: runviz's own, counted even when events are off, and, once the runtime is the
    /// process's global executor, the program's tasks sighted at their first run while events are on.
    public var tasksSpawned: UInt64 { spawned.load(ordering: .relaxed) }
    /// Tasks finished (completed or cancelled), counted as `tasksSpawned` is.
    public var tasksFinished: UInt64 { finished.load(ordering: .relaxed) }
    /// Timers fired on the runtime's heap: `Runtime.sleep`, and `Task.sleep` and clock sleeps once the
    /// runtime is the process's global executor. Counted even when events are off; a cancelled
    /// `Runtime.sleep` never fires.
    public var timersFired: UInt64 { timers.load(ordering: .relaxed) }
    /// The blocking pool: threads, busy threads, queued jobs, jobs run.
    public var blockingPool: BlockingPoolSnapshot {
        BlockingPoolSnapshot(
            threads: blockingThreads.load(ordering: .relaxed), busy: blockingBusy.load(ordering: .relaxed),
            queued: blockingQueued.load(ordering: .relaxed), completed: blockingRuns.load(ordering: .relaxed))
    }
}

extension RuntimeMetrics {
    @inlinable
    package func setInjectQueueDepth(_ depth: Int) { injectDepth.store(depth, ordering: .relaxed) }

    @inlinable
    package func taskSpawned() { spawned.add(1, ordering: .relaxed) }

    @inlinable
    package func taskFinished() { finished.add(1, ordering: .relaxed) }

    @inlinable
    package func timerFired() { timers.add(1, ordering: .relaxed) }

    @inlinable
    package func blockingThreadStarted() { blockingThreads.add(1, ordering: .relaxed) }

    @inlinable
    package func blockingThreadExited() { blockingThreads.subtract(1, ordering: .relaxed) }

    @inlinable
    package func setBlockingQueued(_ jobs: Int) { blockingQueued.store(jobs, ordering: .relaxed) }

    @inlinable
    package func blockingJobStarted() { blockingBusy.add(1, ordering: .relaxed) }

    @inlinable
    package func blockingJobFinished() {
        blockingBusy.subtract(1, ordering: .relaxed)
        blockingRuns.add(1, ordering: .relaxed)
    }
}
