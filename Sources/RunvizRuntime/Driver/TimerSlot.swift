// One sleeping task's timer: its deadline and the continuation the sleep suspended with. The fire
// (driver) and the cancel (the task's cancellation handler) race; the slot's lock makes exactly one
// of them take the continuation and resume it. A cancel that comes before the sleep has armed the
// slot makes the arm fail, and the sleeper resumes itself.

import RunvizLock

final class TimerSlot: Sendable {
    let task: UInt64
    let deadline: UInt64
    private struct State {
        var continuation: UnsafeContinuation<Void, Error>?
        var cancelled = false
    }
    private let state = Lock(State())

    init(task: UInt64, deadline: UInt64) {
        self.task = task
        self.deadline = deadline
    }

    /// Stores the sleeper's continuation; false when the sleep was cancelled first (the caller resumes it).
    func arm(_ c: UnsafeContinuation<Void, Error>) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.continuation = c
            return true
        }
    }

    /// Takes the continuation, so exactly one of fire/cancel resumes it.
    func take() -> UnsafeContinuation<Void, Error>? {
        state.withLock { s in
            defer { s.continuation = nil }
            return s.continuation
        }
    }

    /// Whether the sleep was cancelled (its heap entry, if any, is a dud).
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Cancels the sleep: takes the continuation if armed, and makes a later `arm` fail.
    func cancel() -> UnsafeContinuation<Void, Error>? {
        state.withLock { s in
            s.cancelled = true
            defer { s.continuation = nil }
            return s.continuation
        }
    }
}
