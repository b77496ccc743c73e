// Sleeping and yielding, as scheduler operations behind `Runtime.sleep(for:)` and
// `Runtime.yieldNow()` (the one public API for both): a sleep is a timer on the driver's heap plus
// a park recorded as "timer"; a yield re-enqueues the task with the cause "yield". A deadline past
// the heap's horizon (a duration of centuries) is clamped to it: a sleep that never fires unless
// cancelled. A cancelled sleep tells the heap, which drops its dud entries in bulk.

extension Scheduler {
    /// Sleeps `duration` from now; negative is no time, and the sum never wraps.
    func sleep(for duration: Duration) async throws {
        try await sleep(until: TimerHeap.deadline(after: duration.nanoseconds, from: monotonicNow()))
    }

    func sleep(until deadline: UInt64) async throws {
        let task = TaskIdentity.current
        let slot = TimerSlot(task: task, deadline: deadline)
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Void, Error>) in
                guard slot.arm(c) else {
                    c.resume(throwing: CancellationError())
                    return
                }
                recorder.parked(task, on: .timer(deadline: deadline))
                driver.addTimer(slot)
            }
        } onCancel: {
            guard let c = slot.cancel() else { return }
            c.resume(throwing: CancellationError())
            driver.timers.noteCancelled()
        }
    }

    func yieldNow() async {
        // Off the workers the cause would outlive the yield in that thread's slot and mislabel
        // whatever it enqueues next (a worker clears it after each job).
        if WorkerContext.current != nil { WakeCause.set(.yield) }
        await Task.yield()
    }
}
