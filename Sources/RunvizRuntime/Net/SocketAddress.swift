// An IPv4 address and port, parsed from "host:port" (numeric hosts and "localhost" only: runviz
// talks to loopback unless the user names another address). What the kernel is given is the
// `Posix.Address` it makes.

import RunvizSystem

/// An IPv4 host (a dotted address or `localhost`) and a port.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// A dotted IPv4 address or `localhost`.
    public var host: String
    /// The TCP port (0 when binding: any free port).
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses "127.0.0.1:7878", ":7878" or "localhost:7878".
    public init(parsing text: String, defaultHost: String = "127.0.0.1") throws(AddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw .malformed(text) }
        let hostPart = String(text[..<colon])
        guard let port = UInt16(text[text.index(after: colon)...]) else { throw .badPort(text) }
        self.host = hostPart.isEmpty ? defaultHost : hostPart
        self.port = port
        _ = try posixAddress()
    }

    public var description: String { "\(host):\(port)" }

    /// Whether the address is this machine's loopback (127.0.0.0/8 or `localhost`).
    public var isLoopback: Bool { host == "localhost" || host.hasPrefix("127.") }

    /// The address as the kernel takes it.
    func posixAddress() throws(AddressError) -> Posix.Address {
        guard let address = Posix.Address(ipv4: host == "localhost" ? "127.0.0.1" : host, port: port) else {
            throw .badHost(host)
        }
        return address
    }
}

/// Why a `HOST:PORT` string is not an address; `description` is one line for the user.
public enum AddressError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case badPort(String)
    case badHost(String)
    public var description: String {
        switch self {
        case .malformed(let t): return "'\(t)' is not host:port (example: 127.0.0.1:7878)"
        case .badPort(let t): return "'\(t)' has no valid port (1-65535)"
        case .badHost(let h): return "'\(h)' is not an IPv4 address"
        }
    }
}
