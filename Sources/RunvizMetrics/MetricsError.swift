// What can go wrong starting a metrics endpoint, each as one line for the user: an address that is
// not HOST:PORT, or a socket that cannot listen there (the port in use, an address not on this
// machine).

public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// `text` is not an address runviz can listen on; `problem` says why.
    case badAddress(String, problem: String)
    /// Listening on `address` failed: the reason, from errno.
    case cannotListen(String, reason: String)

    public var description: String {
        switch self {
        case .badAddress(let text, let problem):
            return "invalid metrics address \"\(text)\": \(problem) (expected HOST:PORT, e.g. 127.0.0.1:9464)"
        case .cannotListen(let address, let reason):
            return "cannot serve metrics on \(address): \(reason)"
        }
    }
}
