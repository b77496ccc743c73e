// A mutual-exclusion lock over a value: the standard library's `Mutex`, plus the happens-before
// edges ThreadSanitizer cannot see for itself. `Mutex` sleeps and wakes in a futex inside the
// uninstrumented standard library, so under contention TSan misses the hand-over and reports every
// access the lock guards as a race. Built with `--sanitize=thread`, each `withLock` here tells TSan
// "acquired" after it takes the lock and "released" before it lets go, keyed by the lock's address; in every other build the two checks read one constant and do nothing. Every lock in
// runviz's sources is this one, so a TSan report names a real race.

import CRunvizLinux
import Synchronization

public struct Lock<Value: ~Copyable>: ~Copyable {
    @usableFromInline let mutex: Mutex<Value>

    @inlinable
    public init(_ initialValue: consuming sending Value) { mutex = Mutex(initialValue) }

    /// Runs `body` with the value, holding the lock (Mutex.withLock).
    @inlinable @inline(__always)
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        guard runviz_tsan_active != 0 else { return try mutex.withLock(body) }
        // The lock's own address names it; taken before the lock, so no access to the value comes first.
        let key = withUnsafePointer(to: self) { UnsafeRawPointer($0) }
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            runviz_tsan_acquire(key)
            defer { runviz_tsan_release(key) }
            return try body(&value)
        }
    }
}

extension Lock: @unchecked Sendable where Value: ~Copyable {}

/// Whether this build runs under ThreadSanitizer (for checks that rest on uninstrumented speed).
public var runningUnderThreadSanitizer: Bool { runviz_tsan_active != 0 }
