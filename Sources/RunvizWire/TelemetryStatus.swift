// How a telemetry endpoint is doing, for a status line or a test: who is attached, who was cut
// off for falling behind, and what they missed.

public struct TelemetryStatus: Sendable, Equatable {
    public var address: TelemetryAddress
    /// Viewers streaming now, and every viewer that completed the handshake since the start.
    public var viewers = 0
    public var viewersAccepted: UInt64 = 0
    /// Connections refused: a wrong hello or version, or too many viewers.
    public var refused: UInt64 = 0
    /// Viewers cut off because their queue was full, and what they had not received then.
    public var cutOff: UInt64 = 0
    public var droppedBytes: UInt64 = 0
    public var droppedObservations: UInt64 = 0
    /// Observations encoded, and data bytes written to viewers.
    public var observations: UInt64 = 0
    public var sentBytes: UInt64 = 0
    /// Commands received, and those declined (none accepted, malformed, or too many waiting).
    public var commands: UInt64 = 0
    public var declinedCommands: UInt64 = 0

    public init(address: TelemetryAddress) { self.address = address }
}
