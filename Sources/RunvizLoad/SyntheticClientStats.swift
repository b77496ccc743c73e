// SyntheticClientStats: a snapshot of the dashboard's built-in clients, cheap enough to read every frame.
// Counts are totals since the clients started; `latency` covers every verified round trip so far.

/// Counters of a SyntheticClients set.
public struct SyntheticClientStats: Sendable, Equatable {
    /// Clients requested right now (add/remove).
    public var count: Int
    /// Connections open right now.
    public var connected: Int
    /// Verified round trips.
    public var roundTrips: UInt64
    public var bytesSent: UInt64
    public var bytesReceived: UInt64
    /// Successful connects (reconnects after errors included).
    public var connectionsOpened: UInt64
    public var errors: LoadErrorCounts
    public var latency: LatencySummary

    public init(
        count: Int = 0, connected: Int = 0, roundTrips: UInt64 = 0, bytesSent: UInt64 = 0, bytesReceived: UInt64 = 0,
        connectionsOpened: UInt64 = 0, errors: LoadErrorCounts = LoadErrorCounts(), latency: LatencySummary = .init()
    ) {
        self.count = count
        self.connected = connected
        self.roundTrips = roundTrips
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.connectionsOpened = connectionsOpened
        self.errors = errors
        self.latency = latency
    }
}
