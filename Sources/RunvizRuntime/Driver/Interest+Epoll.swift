// Interest and readiness in epoll's terms (SwiftNIO's `SelectorEventSet(epollEvent:)`). Every error
// or hang-up bit (EPOLLERR, EPOLLHUP, EPOLLRDHUP) reads as `.hangup`, which wakes the waiters of both
// directions: their next syscall then returns the error or end of stream.

import RunvizSystem
import RunvizTelemetry

extension Interest {
    /// The readiness an epoll event mask reports.
    init(epollEvents mask: UInt32) {
        self = []
        if mask & Epoll.EPOLLIN != 0 { insert(.read) }
        if mask & Epoll.EPOLLOUT != 0 { insert(.write) }
        let hangup = Epoll.EPOLLERR | Epoll.EPOLLHUP | Epoll.EPOLLRDHUP
        if mask & hangup != 0 { insert(.hangup) }
    }

    /// The epoll events to register for this interest. Read interest asks for EPOLLRDHUP too, so a
    /// peer's half-close wakes a reader; EPOLLERR and EPOLLHUP are always reported.
    var epollEvents: UInt32 {
        var mask: UInt32 = 0
        if contains(.read) { mask |= Epoll.EPOLLIN | Epoll.EPOLLRDHUP }
        if contains(.write) { mask |= Epoll.EPOLLOUT }
        return mask
    }
}
