// WorkerCounters: the totals one worker keeps in plain fields while it runs and copies out (under a
// lock, a few times per second at most every 10 ms) for progress lines and synthetic-client stats.

/// Running totals of one worker.
struct WorkerCounters: Sendable {
    /// Verified round trips.
    var roundTrips: UInt64 = 0
    var bytesSent: UInt64 = 0
    var bytesReceived: UInt64 = 0
    /// Successful connects.
    var connectionsOpened: UInt64 = 0
    /// Deliberate abortive closes (reset scenario).
    var resetsSent: UInt64 = 0
    /// Connected sockets right now.
    var openConnections = 0
    /// Clients that connected at least once.
    var connectedClients = 0
    var errors = LoadErrorCounts()

    mutating func add(_ other: WorkerCounters) {
        roundTrips += other.roundTrips
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        connectionsOpened += other.connectionsOpened
        resetsSent += other.resetsSent
        openConnections += other.openConnections
        connectedClients += other.connectedClients
        errors.add(other.errors)
    }
}
