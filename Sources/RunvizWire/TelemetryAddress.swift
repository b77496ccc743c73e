// Where a telemetry endpoint listens and a viewer connects: `HOST:PORT` over TCP, or a Unix socket
// path (anything containing a `/`). Loopback is the default: a bare `PORT` or `:PORT` means
// 127.0.0.1, and another interface is used only when the address names it (0.0.0.0 listens on
// every one). Hosts are IPv4 literals or `localhost`; no name is looked up, so parsing never
// blocks. A bad address is one thrown error with one line that says what is wrong. What the kernel
// is given is the `Posix.Address` it makes.

import Glibc
import RunvizSystem

public enum TelemetryAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    /// Where `runviz attach` looks by default, and what `serve --telemetry` documents.
    public static let standard = TelemetryAddress.tcp(host: "127.0.0.1", port: 6669)

    /// The variable a program on the runviz runtime reads (like tokio-console's TOKIO_CONSOLE_BIND).
    public static let environmentVariable = "RUNVIZ_TELEMETRY"

    /// The longest Unix socket path the kernel takes (sun_path is 108 bytes with its NUL).
    static let maxPathBytes = Posix.Address.maxUnixPathBytes

    public init(parsing text: String) throws(TelemetryAddressError) {
        let text = text.trimmingSpaces
        guard !text.isEmpty else { throw .empty }
        if text.contains("/") {
            guard text.utf8.count <= Self.maxPathBytes else { throw .pathTooLong(text) }
            guard !text.utf8.contains(0) else { throw .malformed(text) }
            self = .unix(path: text)
            return
        }
        let hostPart: Substring
        let portPart: Substring
        if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        } else {
            guard text.allSatisfy(\.isASCIIDigit) else { throw .malformed(text) }
            hostPart = ""
            portPart = Substring(text)
        }
        guard !portPart.isEmpty, portPart.allSatisfy(\.isASCIIDigit), let port = UInt16(portPart) else {
            throw .badPort(text)
        }
        let host = hostPart.isEmpty || hostPart == "localhost" ? "127.0.0.1" : String(hostPart)
        if host.contains(":") || host.hasPrefix("[") { throw .ipv6(text) }
        guard Posix.Address(ipv4: host, port: port) != nil else { throw .badHost(String(hostPart)) }
        self = .tcp(host: host, port: port)
    }

    /// The address as the kernel takes it; nil for a host that is no IPv4 literal (a parsed address
    /// always has one; `localhost` is 127.0.0.1, as when parsed).
    var posixAddress: Posix.Address? {
        switch self {
        case .tcp(let host, let port): return Posix.Address(ipv4: host == "localhost" ? "127.0.0.1" : host, port: port)
        case .unix(let path): return Posix.Address(unixPath: path)
        }
    }

    /// The address `RUNVIZ_TELEMETRY` names in `environment` (nil: unset or empty).
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(TelemetryAddressError) -> TelemetryAddress? {
        guard let value = environment[environmentVariable], !value.trimmingSpaces.isEmpty else { return nil }
        do { return try TelemetryAddress(parsing: value) } catch { throw .environment(error.description) }
    }

    /// The process's own environment, read through getenv (no Foundation in the runtime's modules).
    public static func fromProcessEnvironment() throws(TelemetryAddressError) -> TelemetryAddress? {
        guard let raw = getenv(environmentVariable) else { return nil }
        return try fromEnvironment([environmentVariable: String(cString: raw)])
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .unix(let path): return path
        }
    }

    /// Whether only this machine can reach it.
    public var isLocal: Bool {
        switch self {
        case .tcp(let host, _): return host.hasPrefix("127.")
        case .unix: return true
        }
    }
}

public enum TelemetryAddressError: Error, Equatable, CustomStringConvertible {
    case empty
    case malformed(String)
    case badPort(String)
    case badHost(String)
    case ipv6(String)
    case pathTooLong(String)
    /// RUNVIZ_TELEMETRY holds a bad address: the problem with it.
    case environment(String)

    public var description: String {
        switch self {
        case .empty: return "empty telemetry address (expected HOST:PORT, PORT or a Unix socket path)"
        case .malformed(let t): return "'\(t)' is not HOST:PORT, PORT or a Unix socket path (with a /)"
        case .badPort(let t): return "'\(t)' has no valid port (0-65535)"
        case .badHost(let h): return "'\(h)' is not an IPv4 address or localhost"
        case .ipv6(let t): return "'\(t)': IPv6 addresses are not supported; use an IPv4 address or a socket path"
        case .pathTooLong(let p): return "socket path '\(p)' is longer than \(TelemetryAddress.maxPathBytes) bytes"
        case .environment(let problem): return "\(TelemetryAddress.environmentVariable): \(problem)"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
