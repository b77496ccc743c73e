// LoadTarget: the resolved address of the echo server (IPv4 or IPv6), kept as raw sockaddr bytes so it can
// be copied to every worker. Names resolve once, before the run; "localhost" prefers IPv4, because the
// runviz servers listen on 127.0.0.1.

import CRunvizLinux
import Glibc

/// A resolved TCP endpoint.
struct LoadTarget: Sendable {
    let host: String
    let port: Int
    let family: Int32
    let address: [UInt8]

    static func resolve(host: String, port: Int) throws(LoadError) -> LoadTarget {
        let families: [Int32] = host.contains(":") ? [AF_INET6] : [AF_INET, AF_UNSPEC]
        var lastReason = "no address"
        for family in families {
            var hints = addrinfo()
            hints.ai_family = family
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_flags = AI_NUMERICSERV
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                lastReason = String(cString: gai_strerror(status))
                continue
            }
            defer { freeaddrinfo(list) }
            let info = first.pointee
            let bytes = UnsafeRawBufferPointer(start: info.ai_addr, count: Int(info.ai_addrlen))
            return LoadTarget(host: host, port: port, family: info.ai_family, address: Array(bytes))
        }
        throw .cannotResolve(host: host, reason: lastReason.lowercased())
    }

    /// Copies the address into `storage` (at least 128 bytes) and returns its length.
    func write(to storage: UnsafeMutableRawPointer) -> socklen_t {
        address.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return socklen_t(address.count)
    }

    /// One connect attempt, waiting at most `timeoutMs`: refused, unreachable and silent targets fail
    /// before any load starts, with a message that says which.
    func probe(timeoutMs: Int32) throws(LoadError) {
        let fd = runviz_socket_nonblocking(family, Int32(SOCK_STREAM.rawValue))
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        defer { close(fd) }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 8)
        defer { storage.deallocate() }
        let length = write(to: storage)
        var code: Int32 = 0
        if connect(fd, storage.assumingMemoryBound(to: sockaddr.self), length) != 0 {
            code = errno
            if code == EINPROGRESS {
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                var ready: Int32
                repeat { ready = poll(&entry, 1, timeoutMs) } while ready < 0 && errno == EINTR
                code = ready > 0 ? runviz_socket_error(fd) : ETIMEDOUT
            }
        }
        switch code {
        case 0: return
        case ECONNREFUSED: throw .connectionRefused(host: host, port: port)
        case ETIMEDOUT:
            throw .cannotConnect(host: host, port: port, reason: "no answer within \(timeoutMs) ms")
        default: throw .cannotConnect(host: host, port: port, reason: LoadError.describe(errno: code))
        }
    }
}
