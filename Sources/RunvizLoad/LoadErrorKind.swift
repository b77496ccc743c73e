// LoadErrorKind: the ways a load client can see the server misbehave. Each kind is counted separately;
// none is ever dropped silently, and the report prints every non-zero count.

/// One category of failure seen by the load clients.
public enum LoadErrorKind: Int, CaseIterable, Sendable {
    /// `connect` answered ECONNREFUSED: nothing listens there (or the backlog overflowed with RSTs).
    case connectRefused
    /// The server reset the connection (ECONNRESET / EPIPE) while a client still expected bytes.
    case reset
    /// The server closed the connection (EOF) before echoing everything the client sent.
    case unexpectedEOF
    /// An echoed message differed from the message sent (counted once per message).
    case mismatch
    /// The server sent bytes the client never sent (or data after the EOF it was asked for).
    case surplus
    /// A connect or an echo made no progress within the time limit.
    case timeout
    /// Anything else: out of file descriptors, unreachable host, unexpected errno.
    case other

    /// Short label used in reports.
    public var label: String {
        switch self {
        case .connectRefused: "connect refused"
        case .reset: "reset"
        case .unexpectedEOF: "unexpected EOF"
        case .mismatch: "mismatch"
        case .surplus: "surplus bytes"
        case .timeout: "timeout"
        case .other: "other"
        }
    }
}
