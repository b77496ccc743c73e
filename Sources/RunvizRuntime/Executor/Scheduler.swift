// The executor: Swift's runtime hands it jobs through `enqueue` (SE-0417 TaskExecutor); it puts
// each job on the current worker's local queue (half of which spills to the global inject queue
// when it is full), or on the inject queue when the caller is not one of its workers, records why
// (the thread's WakeCause), and wakes an idle worker only when needed: not when the job is the only
// one on the current worker's queue (that worker runs it next), and not when some worker is already
// searching (it will find the job) — tokio's rule, so most enqueues cost no syscall. Every decision
// reads the workers' WorkerState and the queues' own depths, never the published metrics. Installed
// as the process's global executor (GlobalExecutorHook.swift), it also takes every job Swift would
// give its own global executor, by the same path; those run the way the default executor runs them
// (ScheduledJob.swift) and go back to Swift's own global executor once shutdown has begun
// (`scheduleGlobal`, `handBackGlobalJobs`).

import RunvizTelemetry
import Synchronization

final class Scheduler: TaskExecutor, @unchecked Sendable {
    let workers: [Worker]
    let inject: InjectQueue
    let recorder: Recorder
    let driver: Driver
    /// How to read a task runviz did not start (nil: this runtime's layout is not the measured one).
    let taskLayout = TaskLayout.measured
    /// Tasks runviz did not start, queued on an actor: watched for their end (ActorWatch).
    let actorWatch = ActorWatch()
    /// The names of such tasks' code (held here: no lazy-global check per sighting).
    let codeNames = CodeNames.shared
    /// Whether such tasks are named by their code (else by their kind): off for a program whose
    /// tasks are spawned with names (runviz's own sessions), which saves the index and names the
    /// children of its tasks alike from the first.
    let namesTaskCode = Atomic<Bool>(true)
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
        _ = schedule(ScheduledJob(UnownedJob(job), origin: .taskExecutor))
    }

    /// A job of Swift's global executor: false once shutdown has begun (the job is not taken; the
    /// caller hands it to Swift's own global executor).
    @inline(__always)
    func scheduleGlobal(_ job: UnownedJob) -> Bool {
        if isShuttingDown { return false }
        return schedule(ScheduledJob(job, origin: .global))
    }

    /// The global jobs still queued once the workers have stopped, for Swift's own global executor;
    /// from now on the inject queue refuses global jobs. The task-executor jobs taken from the local
    /// queues are dropped, not put back (only a queue's owner pushes, and a worker past the deadline
    /// may still be running): their tasks were cancelled and waited for, and are abandoned.
    func handBackGlobalJobs() -> [ScheduledJob] {
        var global = inject.close()
        for w in workers {
            global.append(contentsOf: w.queue.takeAll().lazy.filter { $0.origin == .global })
        }
        return global
    }

    /// false: a global job refused by the closed inject queue.
    @inline(__always)
    func schedule(_ job: ScheduledJob) -> Bool {
        var scheduled = job
        let job = scheduled.job
        let recording = recorder.enabled
        let task = recording ? TaskIdentity.of(job) : 0
        let cause = WakeCause.current
        if let cause, cause.source == .spawn {
            if recording {
                recorder.record(
                    .spawned, task: task, worker: WorkerContext.currentIndex, arg: TaskIdentity.current,
                    extra: UInt32(truncatingIfNeeded: cause.argument))
            }
            // Marked with events off too: turned on before its first run, it is not sighted as a task
            // runviz did not start (it was counted at its spawn).
            scheduled = scheduled.markedSpawnRecorded
        }
        // Read before the push: once queued, a thief may run the job and record its start at once.
        let now = recording ? monotonicNow() : 0
        // The worker is borrowed, not retained: this path runs for every job.
        let local =
            WorkerContext.withCurrent { worker -> Bool in
                guard worker.scheduler === self else { return false }
                switch worker.queue.push(scheduled, overflow: inject) {
                case .local(let ahead):
                    if recording {
                        recordScheduled(
                            task, cause, queue: UInt8(truncatingIfNeeded: worker.index), ahead: ahead, at: now)
                    }
                    if ahead > 0 { notifyIdle(except: worker) }
                case .spilled(let ahead, let moved):
                    if recording {
                        recordScheduled(
                            task, cause, queue: UInt8(truncatingIfNeeded: worker.index), ahead: ahead, at: now)
                    }
                    worker.spilled(moved)
                    notifyIdle(except: worker)
                case .injected(let ahead):
                    if recording {
                        recordScheduled(task, cause, queue: RuntimeEvent.injectQueue, ahead: ahead, at: now)
                    }
                    notifyIdle(except: worker)
                }
                return true
            } ?? false
        if !local {
            guard let ahead = inject.push(scheduled) else { return false }
            if recording { recordScheduled(task, cause, queue: RuntimeEvent.injectQueue, ahead: ahead, at: now) }
            notifyIdle(except: nil)
        }
        return true
    }

    @inline(__always)
    private func recordScheduled(
        _ task: UInt64, _ cause: (source: WakeSource, argument: UInt64)?, queue: UInt8, ahead: Int, at time: UInt64
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
        } else if let task = WorkerContext.withCurrent({ $0.jobTask.load(ordering: .relaxed) }) {
            arg = task
        } else {
            // Off the workers: the task running on this thread (a main-actor job, another runtime's),
            // else the thread itself, by name (a NIO event loop resuming a continuation).
            let running = TaskIdentity.current
            arg = running != 0 ? running : recorder.foreignThreadArgument()
        }
        recorder.record(
            RuntimeEvent(
                time: time, kind: .scheduled, task: task, worker: queue, detail: UInt16(source.rawValue), arg: arg,
                extra: UInt32(clamping: ahead)))
    }

    /// Wakes one sleeping worker unless one is already searching for work.
    func notifyIdle(except current: Worker?) {
        // Each worker borrowed, not retained: this runs on most enqueues.
        let someSearching = workers.withUnsafeBufferPointer { all in
            all.contains { w in
                Unmanaged.passUnretained(w)._withUnsafeGuaranteedRef { $0 !== current && $0.state.phase == .searching }
            }
        }
        if someSearching { return }
        wakeOneSleeper(except: current, includingDriver: true)
    }

    /// Wakes one sleeping worker other than `current`: a parked one first, else (if allowed) the one
    /// in epoll_wait. Each worker borrowed, not retained, and its phase read before it is claimed:
    /// under load the others are running, and a claim that fails is still a locked instruction (a
    /// failed claim and the read are the same sequentially consistent load to a worker going to sleep).
    func wakeOneSleeper(except current: Worker? = nil, includingDriver: Bool) {
        func claimOne(_ sleeping: WorkerState.Phase) -> Worker? {
            workers.withUnsafeBufferPointer { all in
                all.first { w in
                    Unmanaged.passUnretained(w)._withUnsafeGuaranteedRef {
                        $0 !== current && $0.state.phase == sleeping && $0.state.claim(sleeping)
                    }
                }
            }
        }
        if let w = claimOne(.parked) {
            w.parker.unpark()
            return
        }
        guard includingDriver else { return }
        if claimOne(.parkedInDriver) != nil { driver.wake() }
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
