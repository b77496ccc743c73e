// The socket calls of runviz's I/O (SwiftNIO's `enum Posix`), each through `Syscall`, each
// failure a `SystemError` named after the call. Sockets are IPv4 TCP, non-blocking and
// close-on-exec from birth (the shim's socket and accept4 pass SOCK_NONBLOCK | SOCK_CLOEXEC).
// `close` alone is never retried: see its comment.

import CRunvizLinux
import Glibc

package enum Posix {
    /// A new non-blocking, close-on-exec IPv4 TCP socket.
    package static func tcpSocket() throws(SystemError) -> Int32 {
        try Syscall.nonBlocking("socket") { runviz_socket_nonblocking(AF_INET, Int32(SOCK_STREAM.rawValue)) }
    }

    package static func setReuseAddress(_ fd: Int32) throws(SystemError) {
        try Syscall.nonBlocking("setsockopt") { runviz_set_reuseaddr(fd) }
    }

    package static func setNoDelay(_ fd: Int32) throws(SystemError) {
        try Syscall.nonBlocking("setsockopt") { runviz_set_nodelay(fd) }
    }

    /// SO_LINGER with a zero timeout: the next close sends RST instead of FIN.
    package static func setLingerZero(_ fd: Int32) throws(SystemError) {
        try Syscall.nonBlocking("setsockopt") { runviz_set_linger_zero(fd) }
    }

    package static func bind(_ fd: Int32, to address: sockaddr_in) throws(SystemError) {
        var address = address
        try Syscall.nonBlocking("bind") {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    package static func listen(_ fd: Int32, backlog: Int32) throws(SystemError) {
        try Syscall.nonBlocking("listen") { Glibc.listen(fd, backlog) }
    }

    /// The address the socket is bound to (the port the kernel chose for port 0).
    package static func localAddress(_ fd: Int32) throws(SystemError) -> sockaddr_in {
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try Syscall.nonBlocking("getsockname") {
            withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return bound
    }

    /// A pending connection's fd (non-blocking, close-on-exec), or nil when none is pending.
    package static func accept(_ fd: Int32) throws(SystemError) -> Int32? {
        switch try Syscall.mayBlock("accept4", { Int(runviz_accept4(fd)) }) {
        case .done(let client): return Int32(client)
        case .wouldBlock: return nil
        }
    }

    /// Starts connecting: true when connected at once, false while the handshake is in flight
    /// (EINPROGRESS; the socket turns writable when it ends, and `pendingError` tells how).
    package static func connect(_ fd: Int32, to address: sockaddr_in) throws(SystemError) -> Bool {
        var address = address
        do {
            try Syscall.nonBlocking("connect") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            return true
        } catch {
            // EINPROGRESS is the normal answer of a non-blocking connect on Linux TCP (EAGAIN is
            // only for Unix sockets); an EINTR retry would answer EALREADY, which never happens
            // here because the socket is non-blocking and connect returns at once.
            guard error.errno == EINPROGRESS else { throw error }
            return false
        }
    }

    /// The socket's pending error (SO_ERROR), 0 when there is none; reading it clears it.
    package static func pendingError(_ fd: Int32) throws(SystemError) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try Syscall.nonBlocking("getsockopt") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) }
        return code
    }

    /// Reads up to `buffer.count` bytes; `.done(0)` is end of stream.
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError)
        -> SyscallResult
    {
        try Syscall.mayBlock("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Sends with MSG_NOSIGNAL: a peer that hung up yields EPIPE, never SIGPIPE.
    package static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> SyscallResult {
        try Syscall.mayBlock("send") { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    package static func shutdown(_ fd: Int32, how: Int32) throws(SystemError) {
        try Syscall.nonBlocking("shutdown") { Glibc.shutdown(fd, how) }
    }

    /// Closes `fd`, once. Linux releases the number even when close reports EINTR, so EINTR counts as
    /// closed: a retry could close a number another thread has just been given.
    package static func close(_ fd: Int32) throws(SystemError) {
        guard Glibc.close(fd) < 0 else { return }
        let err = Glibc.errno
        if err != EINTR { throw SystemError("close", errno: err) }
    }
}
