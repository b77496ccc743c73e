// Why a telemetry endpoint cannot start: one line each, naming the address.

public enum TelemetryEndpointError: Error, Equatable, CustomStringConvertible {
    case inUse(String)
    case notASocket(String)
    case cannotListen(String, String)
    case cannotStart(String)

    public var description: String {
        switch self {
        case .inUse(let a): return "cannot serve telemetry on \(a): another program listens there"
        case .notASocket(let p): return "cannot serve telemetry on \(p): the file exists and is not a socket"
        case .cannotListen(let a, let why): return "cannot serve telemetry on \(a): \(why)"
        case .cannotStart(let why): return "cannot start the telemetry endpoint: \(why)"
        }
    }
}
