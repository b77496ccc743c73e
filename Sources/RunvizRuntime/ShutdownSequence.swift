// What `Runtime.shutdown` does after it has marked the runtime stopped, held apart from the Runtime
// object so that it can run on a thread of its own once the runtime is gone. In order:
//
//  1. `begin`: close the task registry, which cancels every live task. Each wait of the runtime
//     (read, write, accept, connect, sleep, AsyncMutex.lock, Channel send/receive) resumes at once
//     and throws CancellationError, and the workers, still running, run every task to its end.
//  2. `finish`: wait until the last task has finished or `timeout` has passed since `begin`; then
//     stop the workers and the watchdog and join them, shut the blocking pool (its queued jobs run
//     first), hand the jobs of Swift's global executor still queued back to it, and the wake jobs of
//     its sleeps still on the heap back to its timer (a runtime installed as the global executor;
//     GlobalExecutorHook.swift, DefaultExecutor.swift), and wake every `blockOn` caller.
//
// Past the deadline nothing waits any longer: tasks still live are abandoned (counted in
// `abandoned`; their memory is never freed), a worker still inside a job and a blocking-pool
// thread still in its work are detached and leave when that job returns. `finish` never runs on
// one of the runtime's own threads: there it would wait for itself, so `Runtime.shutdown` starts a
// thread for it instead.

import RunvizLock
import RunvizSystem
import Synchronization

final class ShutdownSequence: Sendable {
    let scheduler: Scheduler
    let blockingPool: BlockingPool
    let tasks: LiveTasks
    let watchdogParker: Parker
    /// Worker threads first, in index order, then the watchdog.
    let threads = Lock<[OSThread]>([])
    /// How to wake each thread waiting in `blockOn`, called when the sequence is complete.
    let blockedCallers = Lock<[ObjectIdentifier: @Sendable () -> Void]>([:])
    let timeoutNanos: UInt64
    private let deadline = Atomic<UInt64>(0)
    private let abandonedTasks = Atomic<Int>(-1)
    private let complete = Atomic<Bool>(false)

    init(
        scheduler: Scheduler, blockingPool: BlockingPool, tasks: LiveTasks, watchdogParker: Parker, timeoutNanos: UInt64
    ) {
        self.scheduler = scheduler
        self.blockingPool = blockingPool
        self.tasks = tasks
        self.watchdogParker = watchdogParker
        self.timeoutNanos = timeoutNanos
    }

    /// Every thread is stopped (or detached past the deadline) and every `blockOn` caller woken.
    var isComplete: Bool { complete.load(ordering: .acquiring) }

    /// Tasks that had not finished when the workers stopped (nil until the sequence is complete).
    var abandoned: Int? {
        let n = abandonedTasks.load(ordering: .acquiring)
        return n < 0 ? nil : n
    }

    /// Step 1: the deadline starts, every task is cancelled.
    func begin() {
        let (end, overflow) = monotonicNow().addingReportingOverflow(timeoutNanos)
        deadline.store(overflow ? .max : end, ordering: .releasing)
        tasks.close()
    }

    /// Step 2, on a thread that is none of the runtime's.
    func finish() {
        let end = deadline.load(ordering: .acquiring)
        _ = tasks.waitUntilEmpty(deadline: end)
        scheduler.beginShutdown()
        watchdogParker.unpark()
        for thread in threads.withLock({ $0 }) {
            // A thread busy past the deadline gets a short grace to end its job, then goes detached.
            let now = monotonicNow()
            let wait = max(end > now ? end - now : 0, 50_000_000)
            if !thread.join(timeoutNanos: Int64(clamping: wait)) { thread.detach() }
        }
        blockingPool.shutdown(deadline: max(end, monotonicNow() &+ 50_000_000))
        GlobalExecutorHook.handBack(scheduler.handBackGlobalJobs())
        DefaultExecutor.handBack(scheduler.driver.timers.closeToWakeJobs())
        abandonedTasks.store(tasks.count, ordering: .releasing)
        complete.store(true, ordering: .releasing)
        for wake in blockedCallers.withLock({ Array($0.values) }) { wake() }
    }

    /// Runs `finish` on a detached thread of its own (for a caller that is one of the runtime's threads).
    func finishOnAThreadOfItsOwn() {
        do {
            try OSThread.startDetached(name: "runviz-shutdown") { self.finish() }
        } catch {
            // No thread to wait on: stop everything without the drain (the caller's thread detaches).
            deadline.store(0, ordering: .releasing)
            finish()
        }
    }
}
