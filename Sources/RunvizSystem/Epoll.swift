// The epoll calls of the reactor (SwiftNIO's `enum Epoll`). The user data is an opaque 64-bit word
// here; the driver gives it meaning (EpollKey). `struct epoll_event` is packed on x86-64, so the
// shim reads an event's fields.

import CRunvizLinux
import Glibc

package enum Epoll {
    package typealias Event = epoll_event

    package static let EPOLLIN = UInt32(CRunvizLinux.EPOLLIN.rawValue)
    package static let EPOLLOUT = UInt32(CRunvizLinux.EPOLLOUT.rawValue)
    package static let EPOLLERR = UInt32(CRunvizLinux.EPOLLERR.rawValue)
    package static let EPOLLHUP = UInt32(CRunvizLinux.EPOLLHUP.rawValue)
    package static let EPOLLRDHUP = UInt32(CRunvizLinux.EPOLLRDHUP.rawValue)
    package static let EPOLLET = UInt32(CRunvizLinux.EPOLLET.rawValue)

    /// A new close-on-exec epoll instance.
    package static func create() throws(SystemError) -> Int32 {
        try Syscall.nonBlocking("epoll_create1") { runviz_epoll_create() }
    }

    package static func add(_ epfd: Int32, fd: Int32, events: UInt32, userData: UInt64) throws(SystemError) {
        try Syscall.nonBlocking("epoll_ctl") { runviz_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, events, userData) }
    }

    package static func delete(_ epfd: Int32, fd: Int32) throws(SystemError) {
        try Syscall.nonBlocking("epoll_ctl") { runviz_epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0) }
    }

    /// Waits up to `timeoutMs` (-1: no limit) and returns how many events it stored in `events`.
    /// EINTR returns 0 instead of retrying: a retry would restart the whole timeout, and the caller
    /// must recompute it from the timer heap.
    package static func wait(
        _ epfd: Int32, into events: UnsafeMutablePointer<Event>, capacity: Int32, timeoutMs: Int32
    ) throws(SystemError) -> Int {
        let n = runviz_epoll_wait(epfd, events, capacity, timeoutMs)
        if n >= 0 { return Int(n) }
        let err = Glibc.errno
        if err == EINTR { return 0 }
        throw SystemError("epoll_wait", errno: err)
    }

    /// The user data and event mask of the `index`th event of a batch `wait` filled.
    package static func event(
        _ events: UnsafeMutablePointer<Event>, at index: Int
    ) -> (userData: UInt64, mask: UInt32) {
        (runviz_epoll_event_data(events, Int32(index)), runviz_epoll_event_mask(events, Int32(index)))
    }
}
