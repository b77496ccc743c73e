// The echo server's counters: relaxed atomics that connection tasks and connection threads add to
// as they go, and that an observer outside the runtime (the session's UI thread) reads at any time
// without waiting on the runtime, so a stalled runtime reads as counters that stopped. Connection
// counts are exact at every instant (tests wait for them to return to baseline). An echo is one
// read answered: with one message in flight per connection, one round trip. Only the server (this
// module) writes the atomics; everyone else reads them, all at once, with `reading()`.

import RunvizObservation
import Synchronization

public final class EchoStats: Sendable {
    let openTasks = Atomic<Int>(0)
    let openThreads = Atomic<Int>(0)
    let accepted = Atomic<UInt64>(0)
    let connectionErrors = Atomic<UInt64>(0)
    let acceptBackoffs = Atomic<UInt64>(0)
    /// Reads answered (counted once all of a read's bytes are written back), and bytes echoed
    /// (counted as each write takes them, so a slow reader's trickle shows as it happens).
    let echoes = Atomic<UInt64>(0)
    let bytes = Atomic<UInt64>(0)

    public init() {}

    @inline(__always)
    func sent(_ count: Int) {
        if count > 0 { bytes.add(UInt64(count), ordering: .relaxed) }
    }

    @inline(__always)
    func answered() { echoes.add(1, ordering: .relaxed) }

    public var openConnections: Int { openTasks.load(ordering: .relaxed) + openThreads.load(ordering: .relaxed) }

    /// Every counter now, as a value.
    public func reading() -> EchoReading {
        EchoReading(
            echoes: echoes.load(ordering: .relaxed), bytes: bytes.load(ordering: .relaxed),
            openTasks: openTasks.load(ordering: .relaxed), openThreads: openThreads.load(ordering: .relaxed),
            accepted: accepted.load(ordering: .relaxed), connectionErrors: connectionErrors.load(ordering: .relaxed),
            acceptBackoffs: acceptBackoffs.load(ordering: .relaxed))
    }
}
