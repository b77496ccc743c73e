// Where long queue waits came from: each worker's current job, and the wakeups that queued behind
// it while it ran. A wakeup onto a worker's local queue waits behind that worker's job; a wakeup onto
// the inject queue waits behind a job only while every worker is in one (it is counted against the
// job that started first). A job that runs past the blocked threshold with wakeups behind it is
// blamed: while it runs, then until the window its end falls in has been shown (see `closeWindow`).
//
// Wakeups already queued when the job started wait behind it too: they are counted when the watchdog
// reports the job (the aggregator reads them from the task model then, once per long job).
//
// Each counted wakeup remembers its job, so when its task runs its wait is measured exactly; a
// wakeup not yet run counts as waiting since it was queued. Jobs that ended in time are dropped at
// once, so memory stays one job per worker plus the few blamed ones.

import RunvizTelemetry

struct QueueBlame: Equatable {
    /// Wakeups that queued behind one job on one queue.
    struct Tally: Equatable {
        var wakeups = 0
        var firstAt: UInt64 = 0
        /// Counted wakeups whose task has not run since.
        var waiting = 0
        var worstWait: UInt64 = 0

        mutating func queued(at time: UInt64) {
            firstAt = wakeups == 0 ? time : min(firstAt, time)
            wakeups += 1
            waiting += 1
        }

        mutating func ran(waited: UInt64) {
            waiting = max(0, waiting - 1)
            worstWait = max(worstWait, waited)
        }
    }

    struct Job: Equatable {
        var worker: Int
        var task: UInt64
        var start: UInt64
        /// nil while the job runs.
        var end: UInt64?
        var local = Tally()
        var inject = Tally()
    }

    /// The job a queued task waits behind, and when it was queued.
    struct Behind: Equatable {
        var worker: Int
        var jobStart: UInt64
        var inject: Bool
        var at: UInt64
    }

    let workers: Int
    /// Each worker's current job (nil: between jobs), indexed by worker.
    private(set) var running: [Job?]
    /// Jobs that overran with wakeups behind them, kept until their window has been shown.
    private(set) var ended: [Job] = []
    /// Queued tasks that wait behind some job.
    private(set) var behind = IDTable<Behind>()
    private var lastClose: UInt64 = 0
    /// Start of the last full window: jobs that ended before it are no longer shown.
    private var shownFrom: UInt64 = 0

    init(workers: Int) {
        self.workers = max(0, workers)
        running = Array(repeating: nil, count: self.workers)
    }

    /// `task` entered `queue` (a worker index or `RuntimeEvent.injectQueue`) at `time`.
    @inline(__always)
    mutating func scheduled(_ task: UInt64, queue: UInt8, at time: UInt64) {
        guard let worker = blockingWorker(for: queue) else { return }
        // A second wake of a task still queued behind the same job is the same wait.
        if let b = behind[task], b.worker == worker, b.jobStart == running[worker]!.start { return }
        let inject = queue == RuntimeEvent.injectQueue
        if inject { running[worker]!.inject.queued(at: time) } else { running[worker]!.local.queued(at: time) }
        behind[task] = Behind(worker: worker, jobStart: running[worker]!.start, inject: inject, at: time)
    }

    /// `task` was already in `queue` since `time` when `worker`'s job turned out long (the watchdog's
    /// report): it waits behind that job too, if the job is the one the queue waits for.
    mutating func wasQueued(_ task: UInt64, queue: UInt8, at time: UInt64, behindJobOf worker: Int) {
        guard blockingWorker(for: queue) == worker, behind[task] == nil, let job = running[worker], time < job.start
        else { return }
        scheduled(task, queue: queue, at: time)
    }

    /// The worker whose job a wakeup into `queue` waits behind now: the queue's own worker while it is
    /// in a job; for the inject queue, the worker whose job started first, while no worker is free.
    private func blockingWorker(for queue: UInt8) -> Int? {
        if queue == RuntimeEvent.injectQueue {
            guard workers > 0, running.allSatisfy({ $0 != nil }), var first = running[0] else { return nil }
            for case let job? in running.dropFirst() where job.start < first.start { first = job }
            return first.worker
        }
        return Int(queue) < running.count && running[Int(queue)] != nil ? Int(queue) : nil
    }

    /// A job of `task` starts on `worker` at `time`: a task that waited behind a job has its wait measured.
    @inline(__always)
    mutating func runStarted(_ task: UInt64, worker: Int, at time: UInt64, threshold: UInt64) {
        // Most runs wait behind no job: an empty table is not searched.
        if !behind.isEmpty, let b = behind.removeValue(forKey: task) {
            let waited = time >= b.at ? time - b.at : 0
            if b.worker < running.count, running[b.worker]?.start == b.jobStart {
                if b.inject {
                    running[b.worker]!.inject.ran(waited: waited)
                } else {
                    running[b.worker]!.local.ran(waited: waited)
                }
            } else if let i = ended.firstIndex(where: { $0.worker == b.worker && $0.start == b.jobStart }) {
                if b.inject { ended[i].inject.ran(waited: waited) } else { ended[i].local.ran(waited: waited) }
            }
        }
        guard worker >= 0, worker < running.count else { return }
        // A job whose end was never seen (events dropped) ends where the next one starts.
        if running[worker] != nil { runFinished(worker: worker, at: time, threshold: threshold) }
        running[worker] = Job(worker: worker, task: task, start: time)
    }

    /// The job on `worker` returned at `time`: kept when it overran with wakeups behind it.
    @inline(__always)
    mutating func runFinished(worker: Int, at time: UInt64, threshold: UInt64) {
        guard worker >= 0, worker < running.count, let start = running[worker]?.start else { return }
        // Read in place: most jobs end in time, and the job is copied only when it is kept.
        if time &- start > threshold, running[worker]!.local.wakeups + running[worker]!.inject.wakeups > 0 {
            var job = running[worker]!
            job.end = time
            ended.append(job)
        }
        running[worker] = nil
    }

    /// The watchdog saw `worker` run one job of `task` since `start`: its start, if it was missed.
    /// The caller then names the tasks that were queued before it (`wasQueued`).
    mutating func workerBlocked(worker: Int, task: UInt64, since start: UInt64) {
        guard worker >= 0, worker < running.count, running[worker] == nil else { return }
        running[worker] = Job(worker: worker, task: task, start: start)
    }

    /// The window closed at `time`: jobs that ended before the window now shown are dropped, and so
    /// are queued tasks whose job is gone.
    mutating func closeWindow(at time: UInt64) {
        shownFrom = lastClose
        lastClose = time
        ended.removeAll { ($0.end ?? time) < shownFrom }
        behind.shrinkIfSparse()
        if !behind.isEmpty {
            let (running, ended) = (running, ended)
            behind.removeAll { _, b in
                !((b.worker < running.count && running[b.worker]?.start == b.jobStart)
                    || ended.contains { $0.worker == b.worker && $0.start == b.jobStart })
            }
        }
    }

    /// The blamed jobs at `now`, most wakeups first; `name` names a task for the screen.
    func summary(now: UInt64, threshold: UInt64, name: (UInt64) -> String) -> [LatencyBlame] {
        var out: [LatencyBlame] = []
        func add(_ job: Job, _ tally: Tally, _ queue: LatencyBlame.Queue) {
            guard tally.wakeups > 0 else { return }
            let end = job.end ?? now
            // A wakeup still queued behind a running job has waited since the first was queued.
            let waiting = tally.waiting > 0 && job.end == nil && now > tally.firstAt ? now - tally.firstAt : 0
            out.append(
                LatencyBlame(
                    queue: queue, wakeups: tally.wakeups, worstWaitNanos: max(tally.worstWait, waiting),
                    blocker: TaskID(job.task), blockerName: name(job.task), worker: job.worker,
                    blockedNanos: end &- job.start, ongoing: job.end == nil))
        }
        for case let job? in running where now &- job.start > threshold {
            add(job, job.local, .worker(job.worker))
            add(job, job.inject, .inject)
        }
        for job in ended {
            add(job, job.local, .worker(job.worker))
            add(job, job.inject, .inject)
        }
        return out.sorted { ($0.wakeups, $0.worstWaitNanos) > ($1.wakeups, $1.worstWaitNanos) }
    }
}
