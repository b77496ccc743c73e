// Every socket call of the telemetry wire, in one place: listening (Posix.listen: TCP, or a Unix
// socket made 0600 before anyone can connect), connecting, non-blocking send and receive, and poll. EINTR is
// retried here and EAGAIN becomes `.wouldBlock`, so callers see three outcomes. Sends use
// MSG_NOSIGNAL: a viewer that hangs up must never kill the observed program with SIGPIPE.

import CRunvizLinux
import Glibc
import RunvizSystem

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
        guard let target = address.posixAddress else {
            throw .cannotListen(address.description, "not an IPv4 address, localhost or a socket path")
        }
        if case .unix(let path) = address { try removeStale(path) }
        do {
            let fd = try Posix.listen(on: target, backlog: 16)
            guard case .tcp(let host, _) = address else { return (fd, address) }
            return (fd, .tcp(host: host, port: (try? Posix.localAddress(fd))?.port ?? 0))
        } catch {
            if error.errno == EADDRINUSE { throw .inUse(address.description) }
            throw .cannotListen(address.description, errorText(error.errno))
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

    /// Starts connecting to `address` (non-blocking: usually `.inProgress` for TCP; finish with
    /// `connectResult` once the socket is writable).
    static func connect(_ address: TelemetryAddress, nonBlocking: Bool) -> Connect {
        guard let target = address.posixAddress else { return .failed(EINVAL) }
        let fd =
            nonBlocking
            ? runviz_socket_nonblocking(target.family, Int32(SOCK_STREAM.rawValue))
            : socket(target.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed(errno) }
        let rc = target.withSockaddr { Glibc.connect(fd, $0, $1) }
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
