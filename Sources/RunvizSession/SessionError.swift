// Why a session could not start, as one line a user can act on (the commands print it and exit
// non-zero). Nothing is left running when one is thrown.

import Glibc
import RunvizRuntime

public enum SessionError: Error, Equatable, CustomStringConvertible {
    /// A configuration value out of range: which setting, and what is wrong with it.
    case invalidSetting(SessionConfiguration.Setting, String)
    case runtimeFailed(String)
    case portInUse(SocketAddress)
    case noPermission(SocketAddress)
    case cannotListen(SocketAddress, String)
    case syntheticClientsFailed(String)

    public var description: String {
        switch self {
        case .invalidSetting(let setting, let problem): return "\(setting.words) \(problem)"
        case .runtimeFailed(let problem): return problem
        case .portInUse(let a): return "port \(a.port) is in use on \(a.host); stop the other server or pass --port"
        case .noPermission(let a): return "no permission to listen on port \(a.port); use a port above 1023"
        case .cannotListen(let a, let problem): return "cannot listen on \(a): \(problem)"
        case .syntheticClientsFailed(let problem): return "cannot start synthetic clients: \(problem)"
        }
    }

    /// The error for a failed bind of the echo server's listener.
    static func listen(_ error: Error, _ address: SocketAddress) -> SessionError {
        if let e = error as? SystemError, e.errno == EADDRINUSE { return .portInUse(address) }
        if let e = error as? SystemError, e.errno == EACCES { return .noPermission(address) }
        return .cannotListen(address, "\(error)")
    }
}
