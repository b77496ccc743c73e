// An async mutex (tokio::sync::Mutex): a task that finds it locked parks (reason: mutex #id) and
// its worker goes on running other tasks; `unlock` hands the lock straight to the oldest waiter
// (FIFO, no barging) and wakes it with the cause "woken by task". Safe to hold across an await.

import DequeModule
import RunvizTelemetry
import Synchronization

public final class AsyncMutex: Sendable {
    public let id: UInt32
    private struct Waiter {
        let continuation: UnsafeContinuation<Void, Never>
        let task: UInt64
    }
    private struct State {
        var locked = false
        var waiters = Deque<Waiter>()
    }
    private let state = Mutex(State())

    public init() { id = SyncID.make() }

    /// Acquires the mutex, parking the task while another holds it.
    public func lock() async {
        if tryLock() { return }
        let task = TaskIdentity.current
        await withUnsafeContinuation { (c: UnsafeContinuation<Void, Never>) in
            let acquired = state.withLock { s -> Bool in
                if !s.locked {
                    s.locked = true
                    return true
                }
                s.waiters.append(Waiter(continuation: c, task: task))
                Recorder.current?.parked(task, on: .mutex(id: id))
                return false
            }
            if acquired { c.resume() }
        }
    }

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
        if let next { WakeCause.with(.task, TaskIdentity.current) { next.continuation.resume() } }
    }

    /// Runs `body` holding the lock.
    public func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    /// Tasks parked waiting for the lock.
    public var waiterCount: Int { state.withLock { $0.waiters.count } }
    public var isLocked: Bool { state.withLock { $0.locked } }
}
