// The echo server's counters: relaxed atomics that connection tasks and connection threads add to
// as they go, and that an observer outside the runtime (the session's UI thread) reads at any time
// without waiting on the runtime, so a stalled runtime reads as counters that stopped. Connection
// counts are exact at every instant (tests wait for them to return to baseline). An echo is one
// read answered: with one message in flight per connection, one round trip. Only the server (this
// module) writes the atomics; everyone else reads them through the read-only counts below (the
// session turns them into the observation's `EchoReading`, in RunvizDemos: the server knows no
// observer).

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

    /// Reads answered so far.
    public var echoCount: UInt64 { echoes.load(ordering: .relaxed) }
    /// Bytes written back so far.
    public var bytesEchoed: UInt64 { bytes.load(ordering: .relaxed) }
    /// Connections open now, served by a task each.
    public var openTaskCount: Int { openTasks.load(ordering: .relaxed) }
    /// Connections open now, served by a thread each.
    public var openThreadCount: Int { openThreads.load(ordering: .relaxed) }
    /// Connections accepted so far.
    public var acceptedCount: UInt64 { accepted.load(ordering: .relaxed) }
    /// Connections that ended on an error so far.
    public var connectionErrorCount: UInt64 { connectionErrors.load(ordering: .relaxed) }
    /// Times the accept loop backed off (out of descriptors) so far.
    public var acceptBackoffCount: UInt64 { acceptBackoffs.load(ordering: .relaxed) }
}
