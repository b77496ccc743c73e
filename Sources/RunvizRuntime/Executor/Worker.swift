// One worker thread. Its loop is the whole executor, as in mini-tokio:
//
//     while running { if let job = nextJob() { run(job) } else { park() } }
//
// nextJob: own local queue → global inject queue → steal half of another worker's queue; every
// `globalQueueInterval` jobs the inject queue goes first, so remote work cannot starve, and so do
// the jobs this worker's full queue moved there (older than any left on it). run: the job
// runs to its next suspension (as the task executor, or, for a job of Swift's global executor, the
// way the default global executor runs it: ScheduledJob.swift); every `eventInterval` jobs a busy
// worker also turns the I/O driver without sleeping, so I/O and timers progress when no worker is
// idle. park: the first idle worker takes the driver and sleeps inside epoll_wait (tokio's design:
// no reactor thread, so an I/O event wakes the thread that will run the task); any other sleeps on
// its Parker. The states and who may change them are in WorkerState.swift; the metrics and events a
// job leaves are in Worker+Recording.swift. Invariant: only this thread pops its queue's front,
// writes its totals or moves its state; the exceptions are a thief taking the queue's older half and
// a notifier claiming this worker while it sleeps. Shutdown: the loop exits after the job it is
// running, and only then lets go of the scheduler (see `scheduler`).

import CRunvizLinux
import RunvizLock
import RunvizTelemetry
import Synchronization

final class Worker: @unchecked Sendable {
    /// Jobs between two non-blocking turns of the I/O driver by a busy worker (tokio's event_interval).
    static let eventInterval: UInt32 = 61
    /// Jobs between two looks at the inject queue before the local one (tokio's global_queue_interval).
    static let globalQueueInterval: UInt32 = 31

    let index: Int
    let queue: RunQueue
    let parker = Parker()
    let state = WorkerState()
    /// When the running job started (monotonic ns; 0: between jobs): the watchdog's view.
    let jobStartedAt = Atomic<UInt64>(0)
    /// The task of the job that started at `jobStartedAt` (stale between jobs).
    let jobTask = Atomic<UInt64>(0)
    /// The task whose job this worker is running (0: none, or between jobs), for another thread.
    var runningTask: UInt64 { jobStartedAt.load(ordering: .relaxed) == 0 ? 0 : jobTask.load(ordering: .relaxed) }
    let metrics: WorkerMetrics
    let ring: EventRing
    /// Strong while the loop runs, released when it exits: shutdown can run on this very thread
    /// (inside a job, freeing the runtime), and the scheduler must outlive the rest of the loop.
    @exclusivity(unchecked) var scheduler: Scheduler!
    @exclusivity(unchecked) private var tick: UInt32 = 0
    @exclusivity(unchecked) private var stealSeed: UInt32
    /// Jobs this worker's full queue moved to the inject queue and that are older than any job left
    /// on it: taken from there first, so that the worker's jobs keep their order (`spilled`).
    @exclusivity(unchecked) private var olderInInject = 0
    /// The interned names of the kinds of task runviz did not start, by TaskLayout.Kind (0: not
    /// interned yet): interned once per worker, not once per task.
    @exclusivity(unchecked) var taskKindNames: [UInt32] = [0, 0, 0, 0]
    /// The interned class names of the actors this worker's tasks were seen queued on, by their
    /// metadata's address (TaskLayout.Dependency): touched by this worker's thread only.
    @exclusivity(unchecked) var actorNames: [UInt: UInt32] = [:]
    /// The last of `actorNames` asked for (key 0: none yet).
    @exclusivity(unchecked) var lastActorName: (key: UInt, name: UInt32) = (0, 0)
    /// The interned names of the code of tasks runviz did not start: Worker+TaskNames.swift.
    let codeNameCache = CodeNameCache()

    init(index: Int, metrics: WorkerMetrics, ring: EventRing) {
        self.index = index
        self.metrics = metrics
        self.queue = RunQueue(metrics: metrics)
        self.ring = ring
        self.stealSeed = UInt32(index &* 2_654_435_761 & 0xFFFF) | 1
    }

    func run() {
        WorkerContext.enter(self)
        Recorder.adopt(ring)
        runviz_set_thread_name("runviz-w\(index)")
        while !scheduler.isShuttingDown {
            if let job = nextJob() {
                runJob(job)
                tick &+= 1
                if tick % Self.eventInterval == 0 { scheduler.driver.poll(by: self) }
            } else {
                park()
            }
        }
        state.stop()
        metrics.setActivity(.stopped)
        ScratchBuffer.release()
        WorkerContext.enter(nil)
        Recorder.abandonRing()
        // Last: this may free the scheduler (and its driver), when the runtime is already gone.
        scheduler = nil
    }

    /// This worker's queue, full, moved its older `jobs` to the inject queue (this thread only).
    func spilled(_ jobs: Int) { olderInInject += jobs }

    @inline(__always)
    private func nextJob() -> ScheduledJob? {
        if olderInInject > 0 {
            // Another worker may have taken some of them: at most that many pops, and none once it is empty.
            olderInInject -= 1
            if let job = scheduler.inject.pop() { return job }
            olderInInject = 0
        }
        if tick % Self.globalQueueInterval == 0, let job = scheduler.inject.pop() { return job }
        if let job = queue.pop() { return job }
        if let job = scheduler.inject.pop() { return job }
        return steal()
    }

    private func steal() -> ScheduledJob? {
        let workers = scheduler.workers
        let n = workers.count
        guard n > 1 else { return nil }
        stealSeed ^= stealSeed << 13
        stealSeed ^= stealSeed >> 17
        stealSeed ^= stealSeed << 5
        let start = Int(stealSeed % UInt32(n))
        for i in 0..<n {
            let victim = workers[(start + i) % n]
            if victim === self { continue }
            guard let stolen = victim.queue.stealHalf(into: queue) else { continue }
            // Keep a sleeper searching while work is left anywhere (tokio's transition_from_searching).
            if scheduler.hasWork(besides: self) { scheduler.notifyIdle(except: self) }
            recordSteal(stolen.count, from: victim)
            return stolen.job
        }
        return nil
    }

    @inline(__always)
    private func runJob(_ scheduled: ScheduledJob) {
        let run = jobStarting(scheduled)
        var end = WatchedEnd.unread
        switch scheduled.origin {
        case .taskExecutor: scheduled.job.runSynchronously(on: scheduler.asUnownedTaskExecutor())
        case .global:
            if run.watchesEnd {
                end = runWatchingEnd(scheduled.job, task: run.task, asyncLet: run.asyncLet)
            } else {
                scheduled.job.runSynchronously(on: SwiftRuntime.genericExecutor)
            }
        }
        WakeCause.clear()
        jobFinished(run, end: end)
    }

    /// Sleeps until notified: in the driver if it is free, else on the parker. One path, two places.
    private func park() {
        let driver = scheduler.driver
        // Published before the last look for work: a notifier either sees where this worker sleeps,
        // or this worker sees the notifier's job.
        let place = state.prepareToPark(inDriver: driver.tryAcquire())
        metrics.setActivity(place.activity)
        let sleeps = !scheduler.hasWork(besides: self) && !scheduler.isShuttingDown
        if sleeps {
            recordPark(in: place)
            if place == .parkedInDriver { driver.turn(by: self, mayBlock: true) } else { parker.park() }
        }
        if place == .parkedInDriver { driver.release() }
        state.wake()
        metrics.setActivity(.searching)
        if sleeps { recordUnpark() }
    }
}
