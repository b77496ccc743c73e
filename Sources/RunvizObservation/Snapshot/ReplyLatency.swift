// How long the runtime took to answer: from the kernel reporting a stream readable to the task's
// next write on it (reactor + queue wait + run), over the last full second, and what is still
// waiting for an answer now. Only streams on the runtime's reactor are seen (not connections
// served by threads of their own).

public struct ReplyLatency: Sendable, Codable, Equatable {
    /// Replies written in the last full second.
    public var replies: UInt64
    /// Their latency percentiles and maximum (nil: no reply in that second).
    public var p50Nanos: UInt64?
    public var p99Nanos: UInt64?
    public var maxNanos: UInt64?
    /// Streams the kernel reported readable whose reply is not written yet, and the oldest one's wait.
    public var awaiting: Int
    public var oldestAwaitingNanos: UInt64

    public init(
        replies: UInt64 = 0, p50Nanos: UInt64? = nil, p99Nanos: UInt64? = nil, maxNanos: UInt64? = nil,
        awaiting: Int = 0, oldestAwaitingNanos: UInt64 = 0
    ) {
        self.replies = replies
        self.p50Nanos = p50Nanos
        self.p99Nanos = p99Nanos
        self.maxNanos = maxNanos
        self.awaiting = awaiting
        self.oldestAwaitingNanos = oldestAwaitingNanos
    }
}
