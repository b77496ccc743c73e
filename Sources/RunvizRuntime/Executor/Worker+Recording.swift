// What a worker leaves behind for the watchdog and the dashboard: the running job's start and task
// (runtime state the watchdog reads), the published WorkerMetrics and the events in the worker's
// ring. Kept out of the loop so `runJob` reads as its two working lines; everything here is inlined
// and costs relaxed stores, plus a clock read and a ring store per event when events are on. With
// events on, a task runviz did not start (a job of Swift's global executor, read through
// TaskLayout) also gets a `spawned` at its first run and a `completed` after the run that ends it,
// which costs its job flags, two loads and a retain/release pair per run; with events off, nothing.

import RunvizTelemetry

extension Worker {
    /// A job in flight: what `jobFinished` needs from `jobStarting`.
    struct JobRun {
        let task: UInt64
        let start: UInt64
        let recording: Bool
        /// A task runviz did not start, whose end the run must watch for (events on, and the
        /// runtime's task layout is the measured one: TaskLayout.swift).
        let watchesEnd: Bool
    }

    @inline(__always)
    func jobStarting(_ scheduled: ScheduledJob) -> JobRun {
        let job = scheduled.job
        let task = TaskIdentity.of(job)
        let start = monotonicNow()
        jobTask.store(task, ordering: .relaxed)
        jobStartedAt.store(start, ordering: .relaxed)
        state.startJob()
        metrics.jobStarted(task: task, at: start)
        let recording = scheduler.recorder.enabled
        var watchesEnd = false
        if recording {
            if scheduled.origin == .global, let layout = scheduler.taskLayout {
                watchesEnd = sightHookedTask(job, task, at: start, layout)
            }
            ring.record(
                RuntimeEvent(time: start, kind: .runStarted, task: task, worker: UInt8(truncatingIfNeeded: index)))
        }
        return JobRun(task: task, start: start, recording: recording, watchesEnd: watchesEnd)
    }

    /// A job of Swift's global executor about to run, events on: false when it is no task's.
    /// A task's first run (its resume function still the runtime's entry adapter) is its first
    /// sighting, recorded as `spawned` with its parent and its name: its `Task(name:)`, else the name
    /// of its code (Worker+TaskNames.swift), else its kind.
    private func sightHookedTask(_ job: UnownedJob, _ task: UInt64, at time: UInt64, _ layout: TaskLayout) -> Bool {
        guard let kind = TaskLayout.kind(flags: SwiftRuntime.jobFlags(job)) else { return false }
        if layout.isFirstRun(job) {
            let name =
                layout.name(of: job).map { scheduler.recorder.hub.names.intern($0) } ?? codeName(job, kind, layout)
                ?? kindName(kind)
            ring.record(
                RuntimeEvent(
                    time: time, kind: .spawned, task: task, worker: UInt8(truncatingIfNeeded: index),
                    arg: layout.parentID(of: job, kind: kind), extra: name))
        }
        return true
    }

    private func kindName(_ kind: TaskLayout.Kind) -> UInt32 {
        let slot = Int(kind.rawValue)
        if taskKindNames[slot] == 0 {
            let text: String
            switch kind {
            case .task: text = "Task {}"
            case .child: text = "child task"
            case .groupChild: text = "task group child"
            case .asyncLetChild: text = "async let"
            }
            taskKindNames[slot] = scheduler.recorder.hub.names.intern(text)
        }
        return taskKindNames[slot]
    }

    /// Runs a task runviz did not start the way the default global executor runs it, holding it
    /// across the run (a task that completes is released by the runtime inside the run): true when
    /// the run ended it.
    func runWatchingEnd(_ job: UnownedJob) -> Bool {
        TaskLayout.retain(job)
        job.runSynchronously(on: SwiftRuntime.genericExecutor)
        let ended = scheduler.taskLayout?.isComplete(job) ?? false
        TaskLayout.release(job)
        return ended
    }

    /// `ended`: the run ended a task runviz did not start (`runWatchingEnd`), recorded as its
    /// `completed` at the run's end, as a task of runviz's own records it inside its last run.
    @inline(__always)
    func jobFinished(_ run: JobRun, ended: Bool) {
        let end = monotonicNow()
        jobStartedAt.store(0, ordering: .relaxed)
        metrics.jobFinished(busyNanos: end &- run.start)
        if run.recording {
            if ended {
                ring.record(
                    RuntimeEvent(time: end, kind: .completed, task: run.task, worker: UInt8(truncatingIfNeeded: index)))
            }
            ring.record(
                RuntimeEvent(time: end, kind: .runFinished, task: run.task, worker: UInt8(truncatingIfNeeded: index)))
        }
        state.finishJob()
        metrics.setActivity(.searching)
    }

    func recordSteal(_ jobs: Int, from victim: Worker) {
        metrics.stole(jobs)
        scheduler.recorder.record(
            .stole, worker: UInt8(truncatingIfNeeded: index), arg: UInt64(victim.index), extra: UInt32(jobs))
    }

    func recordPark(in place: WorkerState.Phase) {
        metrics.parked()
        scheduler.recorder.record(
            .workerParked, worker: UInt8(truncatingIfNeeded: index), detail: place == .parkedInDriver ? 1 : 0)
    }

    func recordUnpark() { scheduler.recorder.record(.workerUnparked, worker: UInt8(truncatingIfNeeded: index)) }

    /// Publishes what the running job is doing (a job waiting on a BlockingLock shows as blocked on
    /// it). The worker's state stays `running`: to a notifier, a job is a job.
    func setActivity(_ activity: WorkerActivity) { metrics.setActivity(activity) }
}
