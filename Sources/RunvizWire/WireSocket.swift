// Every socket call of the telemetry wire, in one place: listening (TCP, or a Unix socket made
// 0600 before anyone can connect), connecting, non-blocking send and receive, and poll. EINTR is
// retried here and EAGAIN becomes `.wouldBlock`, so callers see three outcomes. Sends use
// MSG_NOSIGNAL: a viewer that hangs up must never kill the observed program with SIGPIPE.

import CRunvizLinux
import Glibc

enum WireSocket {
    enum IO: Equatable {
        /// Bytes moved; 0 from a receive is the peer's end of stream.
        case done(Int)
        case wouldBlock
        case failed(Int32)
    }

    enum Connect: Equatable {
        case connected(Int32)
        case inProgress(Int32)
        case failed(Int32)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A non-blocking listening socket at `address`, and the address as bound (port 0 resolved).
    /// A Unix socket file left by a program that died is replaced; one somebody listens on is not.
    static func listen(_ address: TelemetryAddress) throws(TelemetryEndpointError) -> (Int32, TelemetryAddress) {
        switch address {
        case .tcp(let host, let port):
            let fd = runviz_socket_nonblocking(AF_INET, Int32(SOCK_STREAM.rawValue))
            guard fd >= 0 else { throw .cannotListen(address.description, errorText(errno)) }
            _ = runviz_set_reuseaddr(fd)
            var addr = inet(host, port)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard rc == 0, Glibc.listen(fd, 16) == 0 else {
                let code = errno
                close(fd)
                if code == EADDRINUSE { throw .inUse(address.description) }
                throw .cannotListen(address.description, errorText(code))
            }
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return (fd, .tcp(host: host, port: UInt16(bigEndian: bound.sin_port)))
        case .unix(let path):
            try removeStale(path)
            let fd = runviz_socket_nonblocking(AF_UNIX, Int32(SOCK_STREAM.rawValue))
            guard fd >= 0 else { throw .cannotListen(path, errorText(errno)) }
            var addr = unixAddress(path)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard rc == 0 else {
                let code = errno
                close(fd)
                throw code == EADDRINUSE ? .inUse(path) : .cannotListen(path, errorText(code))
            }
            // Nobody can connect before listen(), so the file is private before it is reachable.
            guard chmod(path, 0o600) == 0, Glibc.listen(fd, 16) == 0 else {
                let code = errno
                close(fd)
                unlink(path)
                throw .cannotListen(path, errorText(code))
            }
            return (fd, address)
        }
    }

    /// Removes a socket file nobody listens on; refuses a file that is no socket, or a live one.
    private static func removeStale(_ path: String) throws(TelemetryEndpointError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path) }
        switch connect(.unix(path: path), nonBlocking: false) {
        case .connected(let fd), .inProgress(let fd):
            close(fd)
            throw .inUse(path)
        case .failed:
            unlink(path)
        }
    }

    static func inet(_ host: String, _ port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        _ = inet_pton(AF_INET, host, &addr.sin_addr)
        return addr
    }

    static func unixAddress(_ path: String) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(TelemetryAddress.maxPathBytes))
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    /// Starts connecting to `address` (non-blocking: usually `.inProgress` for TCP; finish with
    /// `connectResult` once the socket is writable).
    static func connect(_ address: TelemetryAddress, nonBlocking: Bool) -> Connect {
        let family = address.isUnix ? AF_UNIX : AF_INET
        let fd =
            nonBlocking
            ? runviz_socket_nonblocking(family, Int32(SOCK_STREAM.rawValue))
            : socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed(errno) }
        var rc: Int32
        switch address {
        case .tcp(let host, let port):
            var addr = inet(host, port)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .unix(let path):
            var addr = unixAddress(path)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if rc == 0 { return .connected(fd) }
        let code = errno
        if nonBlocking && (code == EINPROGRESS || code == EAGAIN || code == EINTR) { return .inProgress(fd) }
        close(fd)
        return .failed(code)
    }

    /// A pending connect's outcome: 0 connected, else the errno it failed with.
    static func connectResult(_ fd: Int32) -> Int32 { runviz_socket_error(fd) }

    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IO {
        while true {
            let n = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    static func send(_ fd: Int32, _ bytes: [UInt8], from offset: Int = 0) -> IO {
        bytes.withUnsafeBytes { send(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }

    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IO {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    /// Waits up to `timeoutMillis` for `events` on `fd`; the events seen (0: none in time).
    static func wait(_ fd: Int32, for events: Int16, timeoutMillis: Int32) -> Int16 {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = poll(&p, 1, timeoutMillis)
            if rc < 0 && errno == EINTR { continue }
            return rc > 0 ? p.revents : 0
        }
    }
}

extension TelemetryAddress {
    var isUnix: Bool {
        if case .unix = self { return true }
        return false
    }
}
