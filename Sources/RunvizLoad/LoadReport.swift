// LoadReport: the outcome of one load run. Counts are exact (summed from every worker after it stopped);
// latency percentiles come from the merged HdrHistogram of every verified round trip. `summary` is the
// text `runviz load` prints; any non-zero error count appears in it by kind, never hidden.
//
// Two latencies: from send (the clock read before the send() that wrote a message's first byte, to its
// last echoed byte taken in: what the server and the network cost) and, for a paced run, from schedule
// (from the slot the rate gave the message: adds how late the generator started it, as wrk2 corrects
// for coordinated omission). At light load the two agree; when they part, the load generator is behind.

/// What a finished load run measured.
public struct LoadReport: Sendable {
    /// The options the run used.
    public var options: LoadOptions
    /// Load threads that drove the clients.
    public var threads: Int
    /// Clients that established at least one connection.
    public var connectedClients: Int
    /// Connections opened in total (more than the clients in churn, reset and half-close).
    public var connectionsOpened: UInt64
    /// Connections the clients aborted on purpose with an RST (the reset scenario).
    public var resetsSent: UInt64
    /// Complete, verified round trips.
    public var roundTrips: UInt64
    /// The part of `roundTrips` completed before the load phase ended (the rest came back while draining).
    public var roundTripsDuringLoad: UInt64
    /// `count × clients` when the run was measured by count.
    public var expectedRoundTrips: UInt64?
    /// Seconds from the first connect to the end of the load (excludes the final drain).
    public var elapsedSeconds: Double
    /// Payload bytes written to and read from the server.
    public var bytesSent: UInt64
    public var bytesReceived: UInt64
    /// Round-trip latency from send (microseconds).
    public var latency: LatencySummary
    /// Round-trip latency from the schedule slot of each paced message (nil when the run was not paced).
    public var scheduleLatency: LatencySummary?
    /// Errors by kind.
    public var errors: LoadErrorCounts
    /// Where the first wrong byte was seen, e.g. "client 3, message 7, byte 10: expected 0x5a, got 0xa5".
    public var firstMismatch: String?
    /// The first error of kind `other`, e.g. "socket: too many open files".
    public var firstOtherError: String?
    /// The run ended because `stop()` was called (or SIGINT), not by duration or count.
    public var stoppedEarly: Bool
    /// Seconds until every client had connected once (nil if some never did).
    public var connectSeconds: Double?
    /// Round trips per second from the moment every client was connected to the end of the load: the
    /// steady-state rate, comparable with load generators that connect first and measure afterwards.
    public var connectedRoundTripsPerSecond: Double?

    public init(
        options: LoadOptions, threads: Int, connectedClients: Int, connectionsOpened: UInt64, resetsSent: UInt64,
        roundTrips: UInt64, expectedRoundTrips: UInt64?, elapsedSeconds: Double, bytesSent: UInt64,
        bytesReceived: UInt64, latency: LatencySummary, errors: LoadErrorCounts, firstMismatch: String?,
        firstOtherError: String?, stoppedEarly: Bool, connectSeconds: Double? = nil,
        connectedRoundTripsPerSecond: Double? = nil, roundTripsDuringLoad: UInt64? = nil,
        scheduleLatency: LatencySummary? = nil
    ) {
        self.options = options
        self.threads = threads
        self.connectedClients = connectedClients
        self.connectionsOpened = connectionsOpened
        self.resetsSent = resetsSent
        self.roundTrips = roundTrips
        self.roundTripsDuringLoad = roundTripsDuringLoad ?? roundTrips
        self.expectedRoundTrips = expectedRoundTrips
        self.elapsedSeconds = elapsedSeconds
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.latency = latency
        self.scheduleLatency = scheduleLatency
        self.errors = errors
        self.firstMismatch = firstMismatch
        self.firstOtherError = firstOtherError
        self.stoppedEarly = stoppedEarly
        self.connectSeconds = connectSeconds
        self.connectedRoundTripsPerSecond = connectedRoundTripsPerSecond
    }

    /// True when any error of any kind was counted.
    public var hasErrors: Bool { errors.total > 0 }

    /// Verified round trips per second of the load phase (`roundTripsDuringLoad / elapsedSeconds`).
    public var roundTripsPerSecond: Double {
        elapsedSeconds > 0 ? Double(roundTripsDuringLoad) / elapsedSeconds : 0
    }

    /// The multi-line text `runviz load` prints.
    public var summary: String {
        let rate = options.rate.map { NumberText.fixed($0, 1) + " msg/s per client" } ?? "unlimited rate"
        var lines: [String] = []
        lines.append(
            "runviz load: \(options.scenario.name) against \(LoadError.endpoint(options.host, options.port)), "
                + "\(options.clients) clients, \(NumberText.grouped(UInt64(options.messageSize)))-byte messages, "
                + "\(rate), \(threads) thread\(threads == 1 ? "" : "s")")
        var connections = "connected:    \(connectedClients)/\(options.clients) clients"
        if connectionsOpened != UInt64(connectedClients) {
            connections += ", \(NumberText.grouped(connectionsOpened)) connections opened"
        }
        if resetsSent > 0 { connections += ", \(NumberText.grouped(resetsSent)) RSTs sent on purpose" }
        lines.append(connections)
        var trips = "round trips:  \(NumberText.grouped(roundTrips))"
        if let expectedRoundTrips { trips += " of \(NumberText.grouped(expectedRoundTrips)) expected" }
        let drained = roundTrips - min(roundTripsDuringLoad, roundTrips)
        if drained > roundTrips / 100 { trips += " (\(NumberText.grouped(drained)) while draining)" }
        trips += " in \(NumberText.fixed(elapsedSeconds, 2)) s = \(NumberText.fixed(roundTripsPerSecond, 0)) rt/s"
        if stoppedEarly { trips += " (stopped early)" }
        lines.append(trips)
        if let connectSeconds {
            var steady = "connect:      all clients connected after \(NumberText.fixed(connectSeconds, 2)) s"
            if let connectedRoundTripsPerSecond {
                steady += ", \(NumberText.fixed(connectedRoundTripsPerSecond, 0)) rt/s from then on"
            }
            lines.append(steady)
        }
        lines.append(
            "bytes:        \(NumberText.bytes(bytesSent)) sent, \(NumberText.bytes(bytesReceived)) received, "
                + "every byte verified")
        lines.append("latency µs (from send):      " + LoadReport.percentiles(latency))
        if let scheduleLatency {
            lines.append("latency µs (from schedule):  " + LoadReport.percentiles(scheduleLatency))
        }
        let total = errors.total
        lines.append("errors:       " + (total == 0 ? "none" : "\(NumberText.grouped(total)) (\(errors.description))"))
        if let firstMismatch { lines.append("first mismatch: \(firstMismatch)") }
        if let firstOtherError { lines.append("first other error: \(firstOtherError)") }
        return lines.joined(separator: "\n")
    }

    static func percentiles(_ latency: LatencySummary) -> String {
        "p50 \(NumberText.fixed(latency.p50))  p90 \(NumberText.fixed(latency.p90))  "
            + "p99 \(NumberText.fixed(latency.p99))  p99.9 \(NumberText.fixed(latency.p999))  "
            + "max \(NumberText.fixed(latency.max))"
    }
}
