// Sleeping and yielding, as scheduler operations behind `Runtime.sleep(for:)` and
// `Runtime.yieldNow()` (the one public API for both): a sleep is a timer on the driver's heap plus
// a park recorded as "timer"; a yield re-enqueues the task with the cause "yield".

import RunvizTelemetry

extension Scheduler {
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
            slot.cancel()?.resume(throwing: CancellationError())
        }
    }

    func yieldNow() async {
        // Off the workers the cause would outlive the yield in that thread's slot and mislabel
        // whatever it enqueues next (a worker clears it after each job).
        if WorkerContext.current != nil { WakeCause.set(.yield) }
        await Task.yield()
    }
}
