// The executor: Swift's runtime hands it jobs through `enqueue` (SE-0417 TaskExecutor); it puts
// each job on the current worker's local queue, or on the global inject queue when the caller is
// not one of its workers, records why (the thread's WakeCause), and wakes an idle worker only when
// needed: not when the job is the only one on the current worker's queue (that worker runs it
// next), and not when some worker is already searching (it will find the job) — tokio's rule, so
// most enqueues cost no syscall. Every decision reads the workers' WorkerState and the queues' own
// depths, never the published metrics.

import RunvizTelemetry
import Synchronization

final class Scheduler: TaskExecutor, @unchecked Sendable {
    let workers: [Worker]
    let inject: InjectQueue
    let recorder: Recorder
    let driver: Driver
    private let shuttingDown = Atomic<Bool>(false)

    init(workers: [Worker], recorder: Recorder, driver: Driver) {
        self.workers = workers
        self.recorder = recorder
        self.inject = InjectQueue(metrics: recorder.hub.metrics)
        self.driver = driver
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func beginShutdown() {
        shuttingDown.store(true, ordering: .sequentiallyConsistent)
        for w in workers { w.parker.unpark() }
        driver.wake()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        schedule(UnownedJob(job))
    }

    @inline(__always)
    func schedule(_ job: UnownedJob) {
        let recording = recorder.enabled
        let task = recording ? TaskIdentity.of(job) : 0
        let cause = WakeCause.current
        if recording, let cause, cause.source == .spawn {
            recorder.record(
                .spawned, task: task, worker: WorkerContext.currentIndex, arg: TaskIdentity.current,
                extra: UInt32(truncatingIfNeeded: cause.argument))
        }
        if let worker = WorkerContext.current, worker.scheduler === self {
            let ahead = worker.queue.push(job)
            if recording { recordScheduled(task, cause, queue: UInt8(truncatingIfNeeded: worker.index), ahead: ahead) }
            if ahead > 0 { notifyIdle(except: worker) }
        } else {
            let ahead = inject.push(job)
            if recording { recordScheduled(task, cause, queue: RuntimeEvent.injectQueue, ahead: ahead) }
            notifyIdle(except: nil)
        }
    }

    @inline(__always)
    private func recordScheduled(
        _ task: UInt64, _ cause: (source: WakeSource, argument: UInt64)?, queue: UInt8, ahead: Int
    ) {
        let source = cause?.source ?? .other
        // With no cause known, the job running here did it: an `async let` or task-group child
        // being created, or a child's end resuming its parent (the aggregator reads which). The
        // worker's own record of its job's task, because a task that is completing is no longer
        // Swift's current task.
        let arg: UInt64
        if source == .spawn {
            arg = 0
        } else if let cause {
            arg = cause.argument
        } else {
            arg = WorkerContext.current.map { $0.jobTask.load(ordering: .relaxed) } ?? TaskIdentity.current
        }
        recorder.record(
            .scheduled, task: task, worker: queue, detail: UInt16(source.rawValue), arg: arg,
            extra: UInt32(clamping: ahead))
    }

    /// Wakes one sleeping worker unless one is already searching for work.
    func notifyIdle(except current: Worker?) {
        for w in workers where w !== current && w.state.phase == .searching { return }
        wakeOneSleeper(except: current, includingDriver: true)
    }

    /// Wakes one sleeping worker other than `current`: a parked one first, else (if allowed) the one
    /// in epoll_wait.
    func wakeOneSleeper(except current: Worker? = nil, includingDriver: Bool) {
        for w in workers where w !== current && w.state.claim(.parked) {
            w.parker.unpark()
            return
        }
        guard includingDriver else { return }
        for w in workers where w !== current && w.state.claim(.parkedInDriver) {
            driver.wake()
            return
        }
    }

    /// Whether a worker about to sleep would find work anywhere.
    func hasWork(besides worker: Worker) -> Bool {
        if worker.queue.count > 0 || inject.count > 0 { return true }
        for w in workers where w !== worker && w.queue.count > 0 { return true }
        return false
    }

    /// Whether some worker is looking for work (or has been claimed to).
    var anySearching: Bool { workers.contains { $0.state.phase == .searching } }
}
