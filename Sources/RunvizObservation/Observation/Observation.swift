// What the observer read in one turn, as a plain value: the events drained since the last turn,
// the names interned since then, one counter reading, the echo server's counters and, on a frame
// turn, the process's memory and the demos' state. An `Observer` turns a sequence of these into
// frames; the live Session makes them from this process, a recording stores them, and replaying
// that sequence through an Observer with the same `ObservedSetup` rebuilds the same frames.

import RunvizTelemetry

public struct Observation: Sendable, Equatable {
    /// `update` takes the turn in (the models and the per-second samples move on); `frame` also
    /// publishes a DashboardSnapshot.
    public enum Turn: UInt8, Sendable, Equatable {
        case update = 0
        case frame = 1
    }

    public var turn: Turn
    /// Monotonic ns of the reading.
    public var now: UInt64
    /// Events drained in this turn, in time order.
    public var events: [RuntimeEvent]
    /// Names interned since the previous observation, in id order (the table only grows).
    public var newNames: [String]
    public var counters: CounterReading
    public var echo: EchoReading
    /// CPU the observer's thread spent on the previous turn (the aggregator's load figure).
    public var observerNanos: UInt64
    /// Frame turns: the process as the kernel sees it, the demos' state, synthetic clients running.
    public var process: ProcessSnapshot
    public var demos: DemoSnapshot
    public var syntheticClients: Int

    public init(
        turn: Turn, now: UInt64, events: [RuntimeEvent] = [], newNames: [String] = [], counters: CounterReading,
        echo: EchoReading = EchoReading(), observerNanos: UInt64 = 0, process: ProcessSnapshot = ProcessSnapshot(),
        demos: DemoSnapshot = DemoSnapshot(), syntheticClients: Int = 0
    ) {
        self.turn = turn
        self.now = now
        self.events = events
        self.newNames = newNames
        self.counters = counters
        self.echo = echo
        self.observerNanos = observerNanos
        self.process = process
        self.demos = demos
        self.syntheticClients = syntheticClients
    }
}

/// What stays fixed for a whole observed run: the runtime's configuration and start, where the echo
/// server listens, and the measured cost of one event. A recording's header.
public struct ObservedSetup: Sendable, Codable, Equatable {
    public var configuration: ConfigurationSummary
    /// Monotonic ns the runtime started (the uptime's origin).
    public var startedAt: UInt64
    public var echoAddress: String
    /// Nanoseconds one recorded event costs on the observed machine.
    public var eventCostNanos: Double

    public init(
        configuration: ConfigurationSummary, startedAt: UInt64, echoAddress: String, eventCostNanos: Double
    ) {
        self.configuration = configuration
        self.startedAt = startedAt
        self.echoAddress = echoAddress
        self.eventCostNanos = eventCostNanos
    }
}
