// One sleeping task's timer: its deadline and what firing it wakes. A sleep of runviz's own API
// (`Runtime.sleep`) waits on a continuation, armed once the sleep has suspended; a sleep of the
// standard library (`Task.sleep`, a clock's `sleep`) on the process's global executor hands runviz a
// *wake job*, which the slot holds from the start and which resumes the sleeper when it runs
// (Executor/DefaultExecutor.swift). The fire (driver) and the cancel (the task's cancellation
// handler, for a continuation) race; the slot's lock makes exactly one of them take the waiter. A
// cancel that comes before a continuation sleep has armed the slot makes the arm fail, and the
// sleeper resumes itself. A wake job is never cancelled here: the standard library's own handler
// resumes a cancelled sleeper at once, and the job, run at the deadline, only frees the sleep's state.

import RunvizLock

final class TimerSlot: Sendable {
    /// What the timer wakes when it fires.
    enum Waiter {
        /// A `Runtime.sleep`: resuming it wakes the task.
        case continuation(UnsafeContinuation<Void, Error>)
        /// A standard-library sleep's wake job, of Swift's global executor.
        case wakeJob(UnownedJob)
    }

    let task: UInt64
    let deadline: UInt64
    private let wakesJob: Bool
    private struct State {
        var waiter: Waiter?
        var cancelled = false
    }
    private let state: Lock<State>

    /// A slot for a `Runtime.sleep`, armed once the sleep has its continuation.
    init(task: UInt64, deadline: UInt64) {
        self.task = task
        self.deadline = deadline
        self.wakesJob = false
        self.state = Lock(State())
    }

    /// A slot for a standard-library sleep of `task`, armed with its wake job.
    init(task: UInt64, deadline: UInt64, wakeJob: UnownedJob) {
        self.task = task
        self.deadline = deadline
        self.wakesJob = true
        self.state = Lock(State(waiter: .wakeJob(wakeJob)))
    }

    /// Stores the sleeper's continuation; false when the sleep was cancelled first (the caller resumes it).
    func arm(_ c: UnsafeContinuation<Void, Error>) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.waiter = .continuation(c)
            return true
        }
    }

    /// Takes the waiter, so exactly one of fire/cancel wakes it.
    func take() -> Waiter? {
        state.withLock { s in
            defer { s.waiter = nil }
            return s.waiter
        }
    }

    /// Whether the timer wakes a wake job (set at init, never changes).
    var holdsWakeJob: Bool { wakesJob }

    /// Whether the sleep was cancelled (its heap entry, if any, is a dud).
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Cancels a `Runtime.sleep`: takes its continuation if armed, and makes a later `arm` fail.
    func cancel() -> UnsafeContinuation<Void, Error>? {
        state.withLock { s in
            s.cancelled = true
            guard case .continuation(let c)? = s.waiter else { return nil }
            s.waiter = nil
            return c
        }
    }
}
