// Connected non-blocking AF_UNIX socket pairs, the one way the runtime's tests make them: from a
// test (failing it when the kernel refuses) or from inside a task (nil when it refuses).

import Glibc
import Testing

/// A connected non-blocking pair, or nil when the kernel refuses; the caller closes both.
func openSocketPair() -> (Int32, Int32)? {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0 else {
        return nil
    }
    return (fds[0], fds[1])
}

/// A connected non-blocking pair; the caller closes both.
func nonBlockingSocketPair() throws -> (Int32, Int32) { try #require(openSocketPair()) }
