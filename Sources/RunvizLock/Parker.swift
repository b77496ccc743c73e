// A thread's sleep slot: `park` sleeps until `unpark` (or a timeout); an `unpark` that comes first
// is remembered, so the next `park` returns at once (no lost wakeups). Backed by a futex in the C
// shim: EMPTY → PARKED → NOTIFIED, as in tokio's park.rs.

import CRunvizLinux

public final class Parker: @unchecked Sendable {
    private let raw: UnsafeMutablePointer<runviz_parker>

    public init() { raw = runviz_parker_create() }
    deinit { runviz_parker_destroy(raw) }

    /// Sleeps until unparked; `timeoutNanos` < 0 means no timeout.
    public func park(timeoutNanos: Int64 = -1) { runviz_parker_park(raw, timeoutNanos) }

    /// Wakes the parked thread (or makes its next park return immediately).
    @discardableResult
    public func unpark() -> Bool { runviz_parker_unpark(raw) != 0 }
}
