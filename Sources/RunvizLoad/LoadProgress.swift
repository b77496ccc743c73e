// LoadProgress: a live sample of a running load, taken about once a second. Rates and percentiles cover
// the last interval only, so the line shows the present rather than the average since the start.

/// One progress sample of a running load.
public struct LoadProgress: Sendable, Equatable {
    /// Seconds since the load started.
    public var elapsedSeconds: Double
    /// Connections open right now.
    public var openConnections: Int
    /// Clients requested.
    public var clients: Int
    /// Verified round trips since the start.
    public var roundTrips: UInt64
    /// Round trips per second over the last interval.
    public var roundTripsPerSecond: Double
    /// Latency percentiles of the last interval, microseconds.
    public var p50: Double
    public var p99: Double
    /// Errors since the start, all kinds.
    public var errors: UInt64

    public init(
        elapsedSeconds: Double, openConnections: Int, clients: Int, roundTrips: UInt64, roundTripsPerSecond: Double,
        p50: Double, p99: Double, errors: UInt64
    ) {
        self.elapsedSeconds = elapsedSeconds
        self.openConnections = openConnections
        self.clients = clients
        self.roundTrips = roundTrips
        self.roundTripsPerSecond = roundTripsPerSecond
        self.p50 = p50
        self.p99 = p99
        self.errors = errors
    }

    /// "  3.0 s  connected 100/100  195,321 rt/s  p50 480.2 µs  p99 950.3 µs  errors 0".
    public var line: String {
        "\(NumberText.fixed(elapsedSeconds, 1)) s  connected \(openConnections)/\(clients)  "
            + "\(NumberText.fixed(roundTripsPerSecond, 0)) rt/s  p50 \(NumberText.fixed(p50)) µs  "
            + "p99 \(NumberText.fixed(p99)) µs  errors \(NumberText.grouped(errors))"
    }
}
