// What a worker leaves behind for the watchdog and the dashboard: the running job's start and task
// (runtime state the watchdog reads), the published WorkerMetrics and the events in the worker's
// ring. Kept out of the loop so `runJob` reads as its two working lines; everything here is inlined
// and costs relaxed stores, plus a clock read and a ring store per event when events are on.

import RunvizTelemetry

extension Worker {
    /// A job in flight: what `jobFinished` needs from `jobStarting`.
    struct JobRun {
        let task: UInt64
        let start: UInt64
        let recording: Bool
    }

    @inline(__always)
    func jobStarting(_ job: UnownedJob) -> JobRun {
        let task = TaskIdentity.of(job)
        let start = monotonicNow()
        jobTask.store(task, ordering: .relaxed)
        jobStartedAt.store(start, ordering: .relaxed)
        state.startJob()
        metrics.jobStarted(task: task, at: start)
        let recording = scheduler.recorder.enabled
        if recording {
            ring.record(
                RuntimeEvent(time: start, kind: .runStarted, task: task, worker: UInt8(truncatingIfNeeded: index)))
        }
        return JobRun(task: task, start: start, recording: recording)
    }

    @inline(__always)
    func jobFinished(_ run: JobRun) {
        let end = monotonicNow()
        jobStartedAt.store(0, ordering: .relaxed)
        metrics.jobFinished(busyNanos: end &- run.start)
        if run.recording {
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
