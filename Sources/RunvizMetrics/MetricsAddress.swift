// Where the metrics endpoint listens: `HOST:PORT` with an IPv4 address, `localhost`, or a bracketed
// IPv6 address (`[::1]:9464`). Loopback unless another address is named: a bare `PORT` or `:PORT`
// means 127.0.0.1. Port 0 asks the kernel for a free port (the server reports the one it got).
// Parsing is the only check; binding can still fail (MetricsServer says so in one line). What the
// kernel is given is the `Posix.Address` it makes.

import RunvizSystem

public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    /// The numeric host, as bound (IPv6 without brackets).
    public var host: String
    public var port: UInt16
    public var isIPv6: Bool

    public init(host: String = "127.0.0.1", port: UInt16, isIPv6: Bool = false) {
        self.host = host
        self.port = port
        self.isIPv6 = isIPv6
    }

    /// 127.0.0.1:9464, the port Prometheus' exporter list gives OpenTelemetry's.
    public static let loopbackDefault = MetricsAddress(port: 9464)

    public init(parsing text: String) throws(MetricsError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .badAddress(text, problem: "no ] after the IPv6 address")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .badAddress(text, problem: "no :PORT after the IPv6 address") }
            portPart = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard !hostPart.contains(":") else {
                throw .badAddress(text, problem: "an IPv6 address needs brackets, as in [::1]:9464")
            }
        } else {
            hostPart = ""
            portPart = Substring(text)
        }
        guard !portPart.isEmpty, portPart.allSatisfy(\.isASCII), portPart.allSatisfy(\.isNumber),
            let port = UInt16(portPart)
        else {
            throw .badAddress(text, problem: "the port must be a number from 0 to 65535")
        }
        let host = hostPart.isEmpty || hostPart == "localhost" ? "127.0.0.1" : String(hostPart)
        if Posix.Address(ipv4: host, port: port) != nil {
            self.init(host: host, port: port, isIPv6: false)
        } else if Posix.Address(ipv6: host, port: port) != nil {
            self.init(host: host, port: port, isIPv6: true)
        } else {
            throw .badAddress(text, problem: "\"\(hostPart)\" is not a numeric IP address or localhost")
        }
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The address as the kernel takes it; nil for a host that is no numeric address of its family
    /// (a parsed address always has one; `localhost` is 127.0.0.1, as when parsed).
    var posixAddress: Posix.Address? {
        if isIPv6 { return Posix.Address(ipv6: host, port: port) }
        return Posix.Address(ipv4: host == "localhost" ? "127.0.0.1" : host, port: port)
    }

    /// The scrape URL a person would paste into a browser or a Prometheus config.
    public var url: String { "http://\(description)/metrics" }
}
