// The runtime's watchdog thread: what nobody inside a stuck job can do. Every tick (a fifth of the
// blocked threshold, kept between 1 and 5 ms) it looks at each worker's running job and
//
//  - records `workerBlocked` once for each job that has run past the threshold (one report per job:
//    it remembers the start time it reported per worker);
//  - wakes a sleeping worker when work is stuck behind a long job, when the inject queue has held
//    jobs since the last tick, or when nobody holds the I/O driver, so queued tasks, readiness and
//    timers do not wait for a worker stuck in a long job (unless a worker is searching already);
//  - turns the driver itself while every worker is stuck, so readiness and timers are still seen when
//    they happen, and the tasks they wake wait visibly in the inject queue;
//  - looks at the tasks ActorWatch holds, to record the ends runviz did not see (ActorWatch.swift).
//
// It reads only what workers publish for it (`jobStartedAt`, `jobTask`, queue counts). It holds the
// runtime's parts, never the Runtime: a thread holding the runtime would keep it from ever being
// dropped. It stops when the scheduler shuts down (the shutdown sequence unparks it) and lets go of
// every watched task on its way out.

import CRunvizLinux
import RunvizLock
import RunvizTelemetry

/// The watchdog thread's parts and loop.
struct Watchdog: Sendable {
    let scheduler: Scheduler
    let recorder: Recorder
    let telemetry: TelemetryHub
    let parker: Parker
    let threshold: UInt64

    func run() {
        runviz_set_thread_name("runviz-watchdog")
        Recorder.adopt(telemetry.makeRing(label: "watchdog"))
        let interval = Int64(min(max(threshold / 5, 1_000_000), 5_000_000))
        let workers = scheduler.workers
        // The start time of the job last reported per worker, so each over-long job is reported once.
        var reported = [UInt64](repeating: 0, count: workers.count)
        var injectSeen = 0
        while !scheduler.isShuttingDown {
            parker.park(timeoutNanos: interval)
            let now = monotonicNow()
            for (i, w) in workers.enumerated() {
                let started = w.jobStartedAt.load(ordering: .relaxed)
                // A job may have started after `now` was read: only an earlier start can be overdue.
                guard started != 0, started < now, now - started > threshold, reported[i] != started else {
                    continue
                }
                reported[i] = started
                recorder.record(
                    .workerBlocked, task: w.jobTask.load(ordering: .relaxed),
                    worker: UInt8(truncatingIfNeeded: w.index),
                    arg: started)
            }
            // Work is stuck behind a long job (or has sat in the inject queue since the last look), or
            // the driver is free, while a worker sleeps: wake it, so queued tasks, I/O and timers do
            // not wait for a worker stuck in a long job. A queue its busy owner is draining is not stuck.
            let stuck = workers.contains { w in
                let started = w.jobStartedAt.load(ordering: .relaxed)
                return w.queue.count > 0 && started != 0 && started < now && now - started > UInt64(interval)
            }
            let injected = scheduler.inject.count
            let injectWaiting = injected > 0 && injectSeen > 0
            injectSeen = injected
            if stuck || injectWaiting || !scheduler.driver.isHeld {
                if !scheduler.anySearching { scheduler.wakeOneSleeper(includingDriver: stuck || injectWaiting) }
            }
            // Every worker is stuck in a long job: nobody turns the driver. Turn it here, so readiness
            // and timers are still seen when they happen; the tasks they wake wait in the inject queue
            // (this thread is no worker), which is exactly what a stalled runtime looks like.
            let allStuck = workers.allSatisfy { w in
                let started = w.jobStartedAt.load(ordering: .relaxed)
                return started != 0 && started < now && now - started > threshold
            }
            if allStuck, scheduler.driver.tryAcquire() {
                scheduler.driver.turn(timeoutMs: 0)
                scheduler.driver.release()
            }
            // Tasks of the program seen queued on an actor: their ends, out of runviz's sight.
            if let layout = scheduler.taskLayout {
                scheduler.actorWatch.check(layout, workers: workers, recorder: recorder)
            }
        }
        scheduler.actorWatch.releaseAll()
        Recorder.abandonRing()
    }
}
