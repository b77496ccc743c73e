// A plain blocking TCP client socket to 127.0.0.1, for tests that must not depend on the runtime
// they check.

import Glibc

/// Connects to 127.0.0.1:`port` after `configure` has set options on the new socket (timeouts,
/// buffer sizes must precede connect). Returns the fd, or nil (with nothing left open) on failure.
public func connectLoopback(port: UInt16, configure: (Int32) -> Void = { _ in }) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    configure(fd)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard rc == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// Sets SO_RCVTIMEO and SO_SNDTIMEO, so a broken server fails a test instead of hanging it.
public func setTimeouts(_ fd: Int32, seconds: Int = 5) {
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
}
