// Sleeping and yielding, as scheduler operations: a sleep is a timer on the driver's heap plus a
// park recorded as "timer"; a yield re-enqueues the task with the cause "yield".

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
        WakeCause.set(.yield)
        await Task.yield()
    }
}

/// Sleeps on the timer heap of the runviz runtime running the current task; elsewhere, `Task.sleep`.
public func sleep(for duration: Duration) async throws {
    if let worker = WorkerContext.current {
        try await worker.scheduler.sleep(until: monotonicNow() &+ duration.nanoseconds)
    } else {
        try await Task.sleep(for: duration)
    }
}

/// Yields to the other ready tasks of the current runviz worker (tokio::task::yield_now).
public func yieldNow() async {
    if WorkerContext.current != nil {
        WakeCause.set(.yield)
    }
    await Task.yield()
}
