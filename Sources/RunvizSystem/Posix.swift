// The socket calls of runviz's I/O (SwiftNIO's `enum Posix`), each through `Syscall`, each
// failure a `SystemError` named after the call. Sockets are TCP (IPv4 or IPv6) or Unix stream
// sockets at a `Posix.Address`, non-blocking and close-on-exec from birth (the shim's socket and
// accept4 pass SOCK_NONBLOCK | SOCK_CLOEXEC).
// `close` alone is never retried: see its comment.

import CRunvizLinux
import Glibc

package enum Posix {
    /// A new non-blocking, close-on-exec stream socket for `address`'s family (TCP, or a Unix socket).
    package static func streamSocket(for address: Address) throws(SystemError) -> Int32 {
        try Syscall.nonBlocking("socket") { runviz_socket_nonblocking(address.family, Int32(SOCK_STREAM.rawValue)) }
    }

    /// A non-blocking listening socket at `address`, with SO_REUSEADDR for TCP. A Unix socket's file
    /// is made 0600 between bind and listen, so it is private before anyone can connect; when that
    /// fails the file goes. On any failure the socket is closed, and the error names the call.
    package static func listen(on address: Address, backlog: Int32) throws(SystemError) -> Int32 {
        let fd = try streamSocket(for: address)
        do throws(SystemError) {
            if address.unixPath == nil { try setReuseAddress(fd) }
            try bind(fd, to: address)
            if let path = address.unixPath {
                do throws(SystemError) {
                    try Syscall.nonBlocking("chmod") { chmod(path, 0o600) }
                    try listen(fd, backlog: backlog)
                } catch {
                    unlink(path)
                    throw error
                }
            } else {
                try listen(fd, backlog: backlog)
            }
            return fd
        } catch {
            try? close(fd)
            throw error
        }
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

    package static func bind(_ fd: Int32, to address: Address) throws(SystemError) {
        try Syscall.nonBlocking("bind") { address.withSockaddr { Glibc.bind(fd, $0, $1) } }
    }

    package static func listen(_ fd: Int32, backlog: Int32) throws(SystemError) {
        try Syscall.nonBlocking("listen") { Glibc.listen(fd, backlog) }
    }

    /// The address the socket is bound to (the port the kernel chose for port 0).
    package static func localAddress(_ fd: Int32) throws(SystemError) -> Address {
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try Syscall.nonBlocking("getsockname") {
            withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        guard let address = Address(bound) else { throw SystemError("getsockname", errno: EAFNOSUPPORT) }
        return address
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
    package static func connect(_ fd: Int32, to address: Address) throws(SystemError) -> Bool {
        do {
            try Syscall.nonBlocking("connect") { address.withSockaddr { Glibc.connect(fd, $0, $1) } }
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

    /// Writes every byte of `bytes` to a blocking `fd`: a short write goes on, EINTR retries.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemError("write", errno: Glibc.errno)
            }
            // A write that takes nothing of a non-empty buffer would never end the loop.
            guard n > 0 else { throw SystemError("write", errno: EIO) }
            offset += n
        }
    }

    /// The whole file at `path`, read until end of file (a /proc file reports no size to read by).
    package static func readFile(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", errno: Glibc.errno) }
        defer { _ = Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemError("read", errno: Glibc.errno)
            }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
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
