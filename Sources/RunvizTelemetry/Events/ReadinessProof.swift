// Which syscall proved an fd's direction not ready, so that the task parks: an EAGAIN, or a read
// or write that moved fewer bytes than asked (on Linux that proves the socket drained, or its send
// buffer full, and a new edge will come: tokio's poll_read and poll_write clear readiness on it,
// and so does the runtime, saving the syscall that would answer EAGAIN). A `parked` event on an
// fd carries it in bits 8…15 of `extra` (0: none recorded), below which sits the interest.

public enum ReadinessProof: UInt8, Sendable, Codable, Equatable {
    case wouldBlock = 1
    case shortRead = 2
    case shortWrite = 3

    /// Where a `parked` event keeps it in `extra` (`init(parkedExtra:)` says 8 itself, inlined).
    public static let parkedExtraShift: UInt32 = 8

    /// The proof a `parked` event on an fd carries, if any. Inlinable, as RuntimeEvent.fact is.
    @inlinable
    public init?(parkedExtra extra: UInt32) {
        self.init(rawValue: UInt8(truncatingIfNeeded: extra >> 8))
    }
}
