// What a worker leaves behind for the watchdog and the dashboard: the running job's start and task
// (runtime state the watchdog reads), the published WorkerMetrics and the events in the worker's
// ring. Kept out of the loop so `runJob` reads as its two working lines; everything here is inlined
// and costs relaxed stores, plus a clock read and a ring store per event when events are on. With
// events on, a task runviz did not start (a job of Swift's global executor, read through
// TaskLayout) also gets a `spawned` at its first run, a `completed` after the run that ends it (both
// counted in RuntimeMetrics) and, after any other run, a `parked` on what the runtime says it now
// waits on (a continuation, a task, a task group, an actor), which costs its job flags, a dozen
// loads and a retain/release pair per run (an `async let` child: its completion flag only, see
// `runWatchingEnd`). With events off, nothing.

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
        /// That task is an `async let` child: see `runWatchingEnd`.
        let asyncLet: Bool
    }

    @inline(__always)
    func jobStarting(_ scheduled: ScheduledJob) -> JobRun {
        let job = scheduled.job
        let task = TaskIdentity.of(job)
        let start = monotonicNow()
        jobTask.store(task, ordering: .relaxed)
        jobStartedAt.store(start, ordering: .relaxed)
        state.startJob()
        metrics.jobStarted(task: task == 0 ? actorJob(scheduled) : task, at: start)
        let recording = scheduler.recorder.enabled
        var kind: TaskLayout.Kind?
        if recording {
            // A task `Runtime.spawn` started records its own life: from its first run (its
            // scheduling recorded its spawn) and by its records after.
            if scheduled.origin == .global, let layout = scheduler.taskLayout, !scheduled.spawnRecorded,
                let taskKind = TaskLayout.kind(flags: SwiftRuntime.jobFlags(job)), !layout.isSpawned(job)
            {
                sightHookedTask(job, task, taskKind, at: start, layout)
                kind = taskKind
            }
            ring.record(
                RuntimeEvent(time: start, kind: .runStarted, task: task, worker: UInt8(truncatingIfNeeded: index)))
        }
        return JobRun(
            task: task, start: start, recording: recording, watchesEnd: kind != nil, asyncLet: kind == .asyncLetChild)
    }

    /// A job of no task: the actor it runs for (ActorJob), if it is a default actor's job of Swift's
    /// global executor and the task layout is the measured one; else 0.
    @inline(__always)
    private func actorJob(_ scheduled: ScheduledJob) -> UInt64 {
        guard scheduled.origin == .global, scheduler.taskLayout != nil,
            let metadata = TaskLayout.actorMetadata(ofJob: scheduled.job, flags: SwiftRuntime.jobFlags(scheduled.job))
        else { return 0 }
        return ActorJob.running(
            nameID: actorName(key: UInt(bitPattern: metadata)) { TaskLayout.typeName(metadata: metadata) })
    }

    /// A task's job of Swift's global executor about to run, events on. A task's first run (its
    /// resume function still the runtime's entry adapter) is its first sighting, recorded as
    /// `spawned` with its parent and its name: its `Task(name:)`, else the name of its code
    /// (Worker+TaskNames.swift), else its kind.
    private func sightHookedTask(
        _ job: UnownedJob, _ task: UInt64, _ kind: TaskLayout.Kind, at time: UInt64, _ layout: TaskLayout
    ) {
        if layout.isFirstRun(job) {
            scheduler.recorder.hub.metrics.taskSpawned()
            let name =
                layout.name(of: job).map { scheduler.recorder.hub.names.intern($0) } ?? codeName(job, kind, layout)
                ?? kindName(kind)
            ring.record(
                RuntimeEvent(
                    time: time, kind: .spawned, task: task, worker: UInt8(truncatingIfNeeded: index),
                    detail: RuntimeEvent.sightedAtRun, arg: layout.parentID(of: job, kind: kind), extra: name))
        }
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

    /// How the run of a task runviz did not start left it, as `runWatchingEnd` read it.
    enum WatchedEnd {
        /// Not watched, or nothing read: the task reads as parked on `other` (or was woken already).
        case unread
        /// The run completed the task.
        case ended
        /// The task suspended on what the runtime's dependency record names.
        case parked(ParkReason)
    }

    /// Runs a task runviz did not start the way the default global executor runs it, holding it
    /// across the run (a task that completes is released by the runtime inside the run), then reads
    /// whether the run ended it or what it now waits on.
    /// A task that parked through runviz's own instrumentation during the run (a sleep on the timer
    /// heap, an fd, a mutex…) keeps that park: the continuation under it says less. A task whose run
    /// recorded its own end (one `Runtime.spawn` started, watched because a canceller held its
    /// records when the run began) is not ended twice.
    /// An `async let` child is no heap object: it lives in its parent's task allocator, so a retain
    /// does not keep it, and once a run completes it the parent, on another thread, may end the
    /// scope and reuse its memory at once. After its run only its completion flag is read, one
    /// load from memory that stays the parent's (reused, it was complete before); nothing is
    /// followed from it, and a run that suspends it records nothing.
    func runWatchingEnd(_ job: UnownedJob, task: UInt64, asyncLet: Bool) -> WatchedEnd {
        if asyncLet {
            job.runSynchronously(on: SwiftRuntime.genericExecutor)
            return scheduler.taskLayout?.isComplete(job) == true ? .ended : .unread
        }
        TaskLayout.retain(job)
        let mark = ring.mark
        job.runSynchronously(on: SwiftRuntime.genericExecutor)
        var end = WatchedEnd.unread
        if let layout = scheduler.taskLayout {
            if layout.isComplete(job) {
                let recordedItself = ring.recorded(since: mark) {
                    ($0.kind == .completed || $0.kind == .cancelled) && $0.task == task
                }
                if !recordedItself { end = .ended }
            } else if let dependency = layout.dependency(of: job) {
                switch dependency {
                case .mainActor, .actor: scheduler.actorWatch.watch(job, task: task)
                default: break
                }
                if let reason = parkReason(dependency),
                    !ring.recorded(since: mark, where: { $0.kind == .parked && $0.task == task })
                {
                    end = .parked(reason)
                }
            }
        }
        TaskLayout.release(job)
        return end
    }

    /// nil: queued on the global executor again, which its `scheduled` already says.
    private func parkReason(_ dependency: TaskLayout.Dependency) -> ParkReason? {
        switch dependency {
        case .globalExecutor: return nil
        case .continuation: return .continuation
        case .task(let awaited): return .join(TaskID(awaited))
        case .taskGroup: return .taskGroup
        case .mainActor: return .actor(name: actorName(key: 1) { "MainActor" })
        case .actor(let metadata):
            return .actor(name: actorName(key: UInt(bitPattern: metadata)) { TaskLayout.typeName(metadata: metadata) })
        }
    }

    /// An actor's interned class name, by its metadata's address (1: the main actor): interned once
    /// per worker and class, not once per park; the last one asked is answered without hashing.
    private func actorName(key: UInt, _ text: () -> String) -> UInt32 {
        if lastActorName.key == key { return lastActorName.name }
        let name: UInt32
        if let known = actorNames[key] {
            name = known
        } else {
            name = scheduler.recorder.hub.names.intern(text())
            actorNames[key] = name
        }
        lastActorName = (key, name)
        return name
    }

    /// `end`: how the run left a task runviz did not start (`runWatchingEnd`): its `completed`, or
    /// its `parked`, recorded at the run's end, as a task of runviz's own records them inside its run.
    @inline(__always)
    func jobFinished(_ run: JobRun, end watched: WatchedEnd) {
        let end = monotonicNow()
        jobStartedAt.store(0, ordering: .relaxed)
        metrics.jobFinished(busyNanos: end &- run.start)
        if run.recording {
            switch watched {
            case .unread: break
            case .ended:
                scheduler.recorder.hub.metrics.taskFinished()
                ring.record(
                    RuntimeEvent(time: end, kind: .completed, task: run.task, worker: UInt8(truncatingIfNeeded: index)))
            case .parked(let reason):
                let (detail, arg, extra) = reason.encoded
                ring.record(
                    RuntimeEvent(
                        time: end, kind: .parked, task: run.task, worker: UInt8(truncatingIfNeeded: index),
                        detail: detail, arg: arg, extra: extra))
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
