// LoadScenario: what every load client does with its connection, round after round.
//
// The raw value is the command-line spelling (`--scenario slow-reader`); parse and print through it only.
// Whatever the scenario, every byte the server echoes is compared with the byte that was sent.

/// The traffic pattern each client follows.
public enum LoadScenario: String, CaseIterable, Sendable {
    /// One message in flight per connection; the next one leaves when the whole echo is back.
    case steady
    /// Connect, echo a few messages, close normally, reconnect: exercises accept and teardown.
    case churn
    /// Writes as fast as the socket allows but reads only a trickle: the server must apply backpressure.
    case slowReader = "slow-reader"
    /// A couple of round trips, then half a message and an abortive close (SO_LINGER 0, an RST) mid-stream.
    case reset
    /// One message, `shutdown(SHUT_WR)`, read the whole echo back, then expect the server's EOF.
    case halfClose = "half-close"
    /// One 16 MiB message per client, echoed and verified while it is still being sent.
    case oversize

    /// The command-line spelling.
    public var name: String { rawValue }

    /// One line for help texts and reports.
    public var explanation: String {
        switch self {
        case .steady: "one message in flight per client, the next after the full echo"
        case .churn: "connect, \(LoadScenario.churnRoundTrips) round trips, close, reconnect"
        case .slowReader: "write freely, read a trickle: the server must hold back"
        case .reset: "\(LoadScenario.resetAfterRoundTrips) round trips, half a message, then an RST (SO_LINGER 0)"
        case .halfClose: "send, shutdown(SHUT_WR), read the echo, expect EOF"
        case .oversize: "one 16 MiB message per client, verified"
        }
    }

    /// Round trips per connection in `churn` before it closes and reconnects.
    public static let churnRoundTrips = 4
    /// Complete round trips per connection in `reset` before the half message and the abortive close.
    public static let resetAfterRoundTrips = 2
    /// Message size of `oversize`.
    public static let oversizeBytes = 16 << 20
}
