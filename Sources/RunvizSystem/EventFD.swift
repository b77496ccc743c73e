// The eventfd that interrupts a worker asleep in epoll_wait (SwiftNIO's `enum EventFd`). The fd is
// non-blocking, so neither call can hang: a counter already at its maximum or already at zero
// reports EAGAIN, which here means there is nothing left to do.

import CRunvizLinux
import Glibc

package enum EventFD {
    /// A new non-blocking, close-on-exec eventfd with its counter at zero.
    package static func create() throws(SystemError) -> Int32 {
        try Syscall.nonBlocking("eventfd") { runviz_eventfd() }
    }

    /// Adds one to the counter, which makes the fd readable.
    package static func signal(_ fd: Int32) throws(SystemError) {
        var one: UInt64 = 1
        _ = try Syscall.mayBlock("write") { Glibc.write(fd, &one, MemoryLayout<UInt64>.size) }
    }

    /// Resets the counter to zero, so the fd is no longer readable.
    package static func drain(_ fd: Int32) throws(SystemError) {
        var value: UInt64 = 0
        _ = try Syscall.mayBlock("read") { Glibc.read(fd, &value, MemoryLayout<UInt64>.size) }
    }
}
