// An async mutex (tokio::sync::Mutex): a task that finds it locked parks (reason: mutex #id) and
// its worker goes on running other tasks; `unlock` hands the lock straight to the oldest waiter
// (FIFO, no barging) and wakes it with the cause "woken by task". Safe to hold across an await.
//
// Cancellation: a parked `lock` is woken by its task's cancel and throws CancellationError. Each
// waiter has an id; the cancel handler removes it from the queue under the state lock, so exactly
// one of `unlock` (which pops it) and the cancel (which removes it) resumes it. When `unlock` wins
// the race, the cancelled waiter holds the lock when it resumes and passes it on before throwing.
// Invariant: a `lock` that throws leaves the mutex as if it had never been called.

import DequeModule
import RunvizLock

/// A mutex for holding across `await` (tokio::sync::Mutex): a task that finds it locked parks,
/// and its worker runs other tasks; waiters are served in arrival order.
public final class AsyncMutex: Sendable {
    /// The number the dashboard shows for this mutex ("mutex #3").
    public let id: UInt32
    private struct Waiter {
        let id: UInt64
        /// Resumed with true: the lock was handed over by `unlock`.
        let continuation: UnsafeContinuation<Bool, Error>
        let task: UInt64
    }
    private struct State {
        var locked = false
        var waiters = Deque<Waiter>()
        var nextWaiter: UInt64 = 0
    }
    private let state = Lock(State())

    public init() { id = SyncID.make() }

    /// Acquires the mutex, parking the task while another holds it.
    ///
    /// A free mutex is taken even by a cancelled task: only the wait is cancellable. Cancelling a
    /// parked `lock` wakes it and throws `CancellationError`; it then holds nothing and has left the
    /// queue (a lock that reached it as the cancel arrived is handed to the next waiter).
    public func lock() async throws {
        if tryLock() { return }
        let task = TaskIdentity.current
        let waiter = state.withLock { s -> UInt64 in
            s.nextWaiter &+= 1
            return s.nextWaiter
        }
        let handed = try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Bool, Error>) in
                enum Step { case acquired, cancelled, parked }
                let step = state.withLock { s -> Step in
                    if !s.locked {
                        s.locked = true
                        return .acquired
                    }
                    // A cancel that came before this point found no waiter to remove: see it here.
                    if Task.isCancelled { return .cancelled }
                    s.waiters.append(Waiter(id: waiter, continuation: c, task: task))
                    Recorder.current?.parked(task, on: .mutex(id: id))
                    return .parked
                }
                switch step {
                case .acquired: c.resume(returning: false)
                case .cancelled: c.resume(throwing: CancellationError())
                case .parked: break
                }
            }
        } onCancel: {
            let removed = state.withLock { s -> Waiter? in
                guard let i = s.waiters.firstIndex(where: { $0.id == waiter }) else { return nil }
                return s.waiters.remove(at: i)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
        // Handed the lock by `unlock` as the cancel arrived: pass it on, so a cancelled task never
        // holds a lock it did not get to see.
        if handed, Task.isCancelled {
            unlock()
            throw CancellationError()
        }
    }

    /// Takes the lock if it is free, without waiting; whether it did.
    public func tryLock() -> Bool {
        state.withLock { s in
            if s.locked { return false }
            s.locked = true
            return true
        }
    }

    /// Releases the mutex, or passes it to the next waiter.
    public func unlock() {
        let next = state.withLock { s -> Waiter? in
            if let w = s.waiters.popFirst() { return w }
            s.locked = false
            return nil
        }
        if let next { WakeCause.with(.task, TaskIdentity.current) { next.continuation.resume(returning: true) } }
    }

    /// Runs `body` holding the lock. Throws `CancellationError` without running `body` when the
    /// task is cancelled while it waits for the lock (see `lock`).
    public func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await lock()
        defer { unlock() }
        return try await body()
    }

    /// Tasks parked waiting for the lock.
    public var waiterCount: Int { state.withLock { $0.waiters.count } }
    /// Whether a task holds the lock now.
    public var isLocked: Bool { state.withLock { $0.locked } }
}
