// Why a viewer cannot attach, or lost its target: one line each, naming the address, so
// `runviz attach` can print it and exit (and an AttachSource can show it while it reconnects).

public enum AttachError: Error, Equatable, CustomStringConvertible {
    /// Nothing listens there (connection refused, or no such socket file).
    case refused(String)
    case cannotConnect(String, String)
    /// Something answered that is not a runviz telemetry endpoint: what it did.
    case notAnEndpoint(String, String)
    /// A runviz endpoint refused this viewer: its reason.
    case declined(String, String)
    case timedOut(String)
    /// The stream broke its own rules (a frame or block the wire does not allow).
    case corrupt(String, String)
    /// The target closed the connection.
    case gone(String)

    public var description: String {
        switch self {
        case .refused(let a): return "cannot attach to \(a): connection refused (nothing listens there)"
        case .cannotConnect(let a, let why): return "cannot attach to \(a): \(why)"
        case .notAnEndpoint(let a, let what): return "\(a) is not a runviz telemetry endpoint: \(what)"
        case .declined(let a, let why): return "\(a) refused this viewer: \(why)"
        case .timedOut(let a): return "no answer from \(a) within the timeout: not a runviz telemetry endpoint?"
        case .corrupt(let a, let why): return "the telemetry stream from \(a) is corrupt: \(why)"
        case .gone(let a): return "\(a) closed the connection"
        }
    }

    /// The same without the address, for a line that names it elsewhere.
    public var reason: String {
        switch self {
        case .refused: return "connection refused"
        case .cannotConnect(_, let why): return why
        case .notAnEndpoint(_, let what): return "not a runviz telemetry endpoint: \(what)"
        case .declined(_, let why): return "refused: \(why)"
        case .timedOut: return "no answer"
        case .corrupt(_, let why): return "corrupt stream: \(why)"
        case .gone: return "connection closed"
        }
    }
}
