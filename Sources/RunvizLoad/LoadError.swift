// LoadError: why a load run could not start. Failures during a run are not thrown: they are counted by
// kind in the report (LoadErrorCounts). Every description is one line a user can act on.

import Glibc

/// An error that prevents a load run (or synthetic clients) from starting.
public enum LoadError: Error, Equatable, CustomStringConvertible {
    /// An option is out of range; `name` is the option (`clients`), `problem` the rest of the sentence.
    case invalidOption(name: String, problem: String)
    /// The host name did not resolve.
    case cannotResolve(host: String, reason: String)
    /// Nothing accepts connections at the target.
    case connectionRefused(host: String, port: Int)
    /// The target could not be reached for another reason (timeout, unreachable network).
    case cannotConnect(host: String, port: Int, reason: String)
    /// The clients need more file descriptors than the hard RLIMIT_NOFILE allows.
    case fileLimitTooLow(needed: Int, hardLimit: Int)
    /// A system call needed to start failed.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidOption(let name, let problem):
            return "\(name) \(problem)"
        case .cannotResolve(let host, let reason):
            return "cannot resolve \(host): \(reason)"
        case .connectionRefused(let host, let port):
            return "cannot connect to \(LoadError.endpoint(host, port)): connection refused"
                + " — is `runviz serve` or `runviz launch` running?"
        case .cannotConnect(let host, let port, let reason):
            return "cannot connect to \(LoadError.endpoint(host, port)): \(reason)"
        case .fileLimitTooLow(let needed, let hardLimit):
            return "need \(needed) file descriptors but the hard limit (ulimit -Hn) is \(hardLimit):"
                + " raise it (as root: ulimit -n \(needed)) or use fewer clients"
        case .system(let call, let code):
            return "\(call) failed: \(LoadError.describe(errno: code))"
        }
    }

    static func endpoint(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
