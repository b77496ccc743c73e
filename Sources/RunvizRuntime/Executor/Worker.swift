// One worker thread. Its loop is the whole executor, as in mini-tokio:
//
//     while running { if let job = nextJob() { run(job) } else { park() } }
//
// nextJob: own local queue → global inject queue → steal half of another worker's queue
// (every 31st tick the inject queue goes first, so remote work cannot starve). park: the first idle
// worker takes the I/O driver and sleeps inside epoll_wait (tokio's design: no reactor thread, so an
// I/O event wakes the thread that will run the task); other idle workers sleep on their parker.
// Every 61 jobs a busy worker turns the driver without sleeping, so I/O and timers progress even
// when no worker is idle. Invariants: only this thread pops its queue's front or writes its
// counters; `activity` is published before the final re-check for work, so a notifier either sees
// this worker parked or this worker sees the notifier's job.

import CRunvizLinux
import RunvizTelemetry

final class Worker: @unchecked Sendable {
    let index: Int
    let queue: RunQueue
    let parker = Parker()
    let counters: WorkerCounters
    unowned(unsafe) var scheduler: Scheduler!
    private let ring: EventRing
    private var tick: UInt32 = 0
    private var stealSeed: UInt32

    init(index: Int, counters: WorkerCounters, ring: EventRing) {
        self.index = index
        self.counters = counters
        self.queue = RunQueue(counters: counters)
        self.ring = ring
        self.stealSeed = UInt32(index &* 2_654_435_761 & 0xFFFF) | 1
    }

    var activity: WorkerActivity { counters.currentActivity }

    @inline(__always)
    func setActivity(_ a: WorkerActivity) {
        counters.activity.store(a.rawValue, ordering: .sequentiallyConsistent)
    }

    /// CAS used by notifiers: claim a sleeping worker so that only one notifier wakes it.
    func claim(from a: WorkerActivity) -> Bool {
        counters.activity.compareExchange(
            expected: a.rawValue, desired: WorkerActivity.searching.rawValue, ordering: .sequentiallyConsistent
        ).exchanged
    }

    func run() {
        WorkerContext.enter(self)
        Recorder.adopt(ring)
        runviz_set_thread_name("runviz-w\(index)")
        setActivity(.searching)
        while !scheduler.isShuttingDown {
            if let job = nextJob() {
                runJob(job)
                tick &+= 1
                if tick % 61 == 0 { scheduler.driver.poll(by: self) }
            } else {
                park()
            }
        }
        setActivity(.stopped)
        ScratchBuffer.release()
        WorkerContext.enter(nil)
        Recorder.abandonRing()
    }

    @inline(__always)
    private func nextJob() -> UnownedJob? {
        if tick % 31 == 0, let job = scheduler.inject.pop() { return job }
        if let job = queue.pop() { return job }
        if let job = scheduler.inject.pop() { return job }
        return steal()
    }

    private func steal() -> UnownedJob? {
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
            let stolen = victim.queue.stealHalf()
            guard let first = stolen.first else { continue }
            for job in stolen.dropFirst() { _ = queue.push(job) }
            // Keep a sleeper searching while work is left anywhere (tokio's transition_from_searching).
            if scheduler.hasWork(besides: self) { scheduler.notifyIdle(except: self) }
            counters.add(counters.steals, UInt64(stolen.count))
            scheduler.recorder.record(
                .stole, worker: UInt8(truncatingIfNeeded: index), arg: UInt64(victim.index),
                extra: UInt32(stolen.count))
            return first
        }
        return nil
    }

    @inline(__always)
    private func runJob(_ job: UnownedJob) {
        let task = TaskIdentity.of(job)
        let start = monotonicNow()
        counters.currentTask.store(task, ordering: .relaxed)
        counters.jobStarted.store(start, ordering: .relaxed)
        counters.activity.store(WorkerActivity.running.rawValue, ordering: .relaxed)
        let recording = scheduler.recorder.enabled
        let w = UInt8(truncatingIfNeeded: index)
        if recording { ring.record(RuntimeEvent(time: start, kind: .runStarted, task: task, worker: w)) }
        job.runSynchronously(on: scheduler.asUnownedTaskExecutor())
        WakeCause.clear()
        let end = monotonicNow()
        counters.jobStarted.store(0, ordering: .relaxed)
        counters.currentTask.store(0, ordering: .relaxed)
        counters.add(counters.runs, 1)
        counters.add(counters.busyNanos, end &- start)
        if recording { ring.record(RuntimeEvent(time: end, kind: .runFinished, task: task, worker: w)) }
        setActivity(.searching)
    }

    private func park() {
        let driver = scheduler.driver
        let w = UInt8(truncatingIfNeeded: index)
        if driver.tryAcquire() {
            setActivity(.parkedInDriver)
            if scheduler.hasWork(besides: self) || scheduler.isShuttingDown {
                setActivity(.searching)
                driver.release()
                return
            }
            counters.add(counters.parks, 1)
            scheduler.recorder.record(.workerParked, worker: w, detail: 1)
            driver.turn(by: self, mayBlock: true)
            driver.release()
            setActivity(.searching)
            scheduler.recorder.record(.workerUnparked, worker: w)
        } else {
            setActivity(.parked)
            if scheduler.hasWork(besides: self) || scheduler.isShuttingDown {
                setActivity(.searching)
                return
            }
            counters.add(counters.parks, 1)
            scheduler.recorder.record(.workerParked, worker: w)
            parker.park()
            setActivity(.searching)
            scheduler.recorder.record(.workerUnparked, worker: w)
        }
    }
}
