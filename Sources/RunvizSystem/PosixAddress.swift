// The one socket address every runviz socket binds, listens on or connects to (SwiftNIO's
// `SocketAddress`): an IPv4 or IPv6 address with its port, or a Unix socket path, held as the
// kernel's own sockaddr so a call passes it as it is. It is built from numeric hosts only (no name
// is looked up, so building one never blocks); what text an address is written as, and what a
// user is told when it is wrong, belongs to each parser above it (the runtime's `SocketAddress`,
// the wire's `TelemetryAddress`, the metrics endpoint's `MetricsAddress`).

import Glibc

extension Posix {
    package enum Address: Sendable {
        case ipv4(sockaddr_in)
        case ipv6(sockaddr_in6)
        case unix(sockaddr_un)

        /// The longest Unix socket path the kernel takes (sun_path is 108 bytes with its NUL).
        package static let maxUnixPathBytes = 107

        /// `host` as an IPv4 literal ("127.0.0.1"), or nil when it is none.
        package init?(ipv4 host: String, port: UInt16) {
            var address = sockaddr_in()
            (address.sin_family, address.sin_port) = (sa_family_t(AF_INET), port.bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
            self = .ipv4(address)
        }

        /// `host` as an IPv6 literal ("::1", no brackets), or nil when it is none.
        package init?(ipv6 host: String, port: UInt16) {
            var address = sockaddr_in6()
            (address.sin6_family, address.sin6_port) = (sa_family_t(AF_INET6), port.bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
            self = .ipv6(address)
        }

        /// A Unix socket at `path`, or nil when the path is longer than the kernel takes or holds a NUL.
        package init?(unixPath path: String) {
            let bytes = Array(path.utf8)
            guard bytes.count <= Self.maxUnixPathBytes, !bytes.contains(0) else { return nil }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in bytes.enumerated() { raw[i] = b }
                raw[bytes.count] = 0
            }
            self = .unix(address)
        }

        /// The address a `getsockname` or `accept` filled in, or nil for a family runviz never uses.
        init?(_ storage: sockaddr_storage) {
            var storage = storage
            switch Int32(storage.ss_family) {
            case AF_INET: self = .ipv4(withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) })
            case AF_INET6: self = .ipv6(withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) })
            case AF_UNIX: self = .unix(withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_un.self) })
            default: return nil
            }
        }

        /// AF_INET, AF_INET6 or AF_UNIX.
        package var family: Int32 {
            switch self {
            case .ipv4: return AF_INET
            case .ipv6: return AF_INET6
            case .unix: return AF_UNIX
            }
        }

        /// The TCP port (0 for a Unix socket).
        package var port: UInt16 {
            switch self {
            case .ipv4(let address): return UInt16(bigEndian: address.sin_port)
            case .ipv6(let address): return UInt16(bigEndian: address.sin6_port)
            case .unix: return 0
            }
        }

        /// The Unix socket's path (nil for a TCP address).
        package var unixPath: String? {
            guard case .unix(var address) = self else { return nil }
            return withUnsafeBytes(of: &address.sun_path) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }

        /// Runs `body` with the address as the kernel takes it: a sockaddr pointer and its length.
        package func withSockaddr<Result>(
            _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
        ) -> Result {
            switch self {
            case .ipv4(var address): return Self.passing(&address, body)
            case .ipv6(var address): return Self.passing(&address, body)
            case .unix(var address): return Self.passing(&address, body)
            }
        }

        private static func passing<Storage, Result>(
            _ address: inout Storage, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
        ) -> Result {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<Storage>.size)) }
            }
        }
    }
}
