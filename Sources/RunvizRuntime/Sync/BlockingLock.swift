// A plain blocking lock (std::sync::Mutex), kept for the primer's pitfall: a task that waits for it
// blocks its whole worker thread, and the worker shows as "BLOCKED on lock". Any thread may unlock
// (the holder may resume on another worker after an await, which a pthread mutex forbids), so it is
// a flag plus a queue of parked threads rather than an OS mutex.

import RunvizLock

/// A lock that blocks the calling thread, as a std mutex does: held across work inside a task it
/// stalls the worker (the primer's pitfall), which the dashboard's lints point out. Prefer
/// `AsyncMutex` in async code; this one is here so the difference can be seen.
public final class BlockingLock: Sendable {
    /// The number the dashboard shows for this lock.
    public let id: UInt32
    private struct State {
        var locked = false
        var waiters: [Parker] = []
    }
    private let state = Lock(State())

    public init() { id = SyncID.make() }

    /// Acquires the lock, blocking the calling thread (and so its worker) while another holds it.
    public func lock() {
        let worker = WorkerContext.current
        var parker: Parker?
        while true {
            let acquired = state.withLock { s -> Bool in
                if !s.locked {
                    s.locked = true
                    return true
                }
                let p = parker ?? Parker()
                parker = p
                s.waiters.append(p)
                return false
            }
            if acquired { break }
            worker?.setActivity(.blockedOnLock)
            parker!.park()
        }
        if parker != nil { worker?.setActivity(.running) }
    }

    /// Like `lock`, but gives up after `timeoutNanos`: false when the lock was not acquired. A waiter
    /// that gives up takes the lock if it is free by then, so a wake meant for it is never lost.
    public func lock(timeoutNanos: UInt64) -> Bool {
        let worker = WorkerContext.current
        let deadline = Runtime.now &+ timeoutNanos
        let parker = Parker()
        var waited = false
        defer { if waited { worker?.setActivity(.running) } }
        while true {
            let now = Runtime.now
            let acquired = state.withLock { s -> Bool? in
                if !s.locked {
                    s.locked = true
                    return true
                }
                if now >= deadline {
                    s.waiters.removeAll { $0 === parker }
                    return false
                }
                if !s.waiters.contains(where: { $0 === parker }) { s.waiters.append(parker) }
                return nil
            }
            if let acquired { return acquired }
            worker?.setActivity(.blockedOnLock)
            waited = true
            parker.park(timeoutNanos: Int64(clamping: deadline &- now))
        }
    }

    /// Releases the lock and wakes one thread waiting for it.
    public func unlock() {
        let next = state.withLock { s -> Parker? in
            s.locked = false
            return s.waiters.isEmpty ? nil : s.waiters.removeFirst()
        }
        next?.unpark()
    }

    /// Whether a thread holds the lock now.
    public var isLocked: Bool { state.withLock { $0.locked } }
}
