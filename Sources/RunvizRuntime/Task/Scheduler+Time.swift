// Sleeping and yielding, as scheduler operations behind `Runtime.sleep(for:)` and
// `Runtime.yieldNow()` (the one public API for both): a sleep is a timer on the driver's heap plus
// a park recorded as "timer"; a yield re-enqueues the task with the cause "yield". A deadline past
// the heap's horizon (a duration of centuries) is clamped to it: a sleep that never fires unless
// cancelled. A cancelled sleep tells the heap, which drops its dud entries in bulk. A standard-library
// sleep (`Task.sleep`, a clock's `sleep`) reaches the same heap as a wake job when the runtime is
// Swift's default executor (`scheduleWake`, from SwiftRuntime/DefaultExecutor.swift).

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

    /// Parks the running task, a standard-library sleeper, on the heap until `delay` has passed;
    /// `wake` is the job Swift handed the default executor to resume it. False once shutdown has
    /// begun (the caller gives the job to Swift's own timer).
    func scheduleWake(_ wake: UnownedJob, after delay: Duration) -> Bool {
        if isShuttingDown { return false }
        let sleeper = TaskIdentity.current
        let deadline = TimerHeap.deadline(after: delay.nanoseconds, from: monotonicNow())
        // Recorded first: the timer may fire at once, and its wake must come after the park.
        recorder.parked(sleeper, on: .timer(deadline: deadline))
        return driver.addTimer(TimerSlot(task: sleeper, deadline: deadline, wakeJob: wake))
    }

    func yieldNow() async {
        // Off the workers the cause would outlive the yield in that thread's slot and mislabel
        // whatever it enqueues next (a worker clears it after each job).
        if WorkerContext.current != nil { WakeCause.set(.yield) }
        await Task.yield()
    }
}
