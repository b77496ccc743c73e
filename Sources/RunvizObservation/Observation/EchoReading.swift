// The echo server's counters read at one instant (`EchoStats.reading()` in RunvizEcho), and how
// it serves new connections then (the server can switch): a plain value, so an observer can take
// it from this process, a recording or another process alike.

/// The echo server's counters read at one instant.
public struct EchoReading: Sendable, Equatable {
    public var echoes: UInt64
    public var bytes: UInt64
    public var openTasks: Int
    public var openThreads: Int
    public var accepted: UInt64
    public var connectionErrors: UInt64
    public var acceptBackoffs: UInt64
    /// How new connections are served at the reading (the session fills it in).
    public var mode: EchoSnapshot.Mode

    public init(
        echoes: UInt64 = 0, bytes: UInt64 = 0, openTasks: Int = 0, openThreads: Int = 0, accepted: UInt64 = 0,
        connectionErrors: UInt64 = 0, acceptBackoffs: UInt64 = 0, mode: EchoSnapshot.Mode = .tasks
    ) {
        self.echoes = echoes
        self.bytes = bytes
        self.openTasks = openTasks
        self.openThreads = openThreads
        self.accepted = accepted
        self.connectionErrors = connectionErrors
        self.acceptBackoffs = acceptBackoffs
        self.mode = mode
    }
}
