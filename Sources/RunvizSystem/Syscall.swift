// The retry loop every wrapped system call goes through (SwiftNIO's `syscall(blocking:)`): EINTR is
// retried, EAGAIN/EWOULDBLOCK becomes `.wouldBlock` for calls that may block, and every other
// failure becomes a `SystemError` carrying errno and the call's name. errno is read right after the
// call returns, before anything else can overwrite it. EBADF/EFAULT would be program bugs; they
// surface as errors rather than traps so a test sees them.
//
// Only the wrappers beside it (Posix, Epoll, EventFD) call this; runviz's I/O (sockets, epoll,
// eventfd) reaches the kernel only through them. Threads start through OSThread; the futex parker
// is RunvizLock's.

import Glibc

package enum Syscall {
    /// A call that may block (read, send, accept4, connect): EAGAIN is a value, not an error.
    @inline(__always)
    package static func mayBlock(_ name: String, _ body: () -> Int) throws(SystemError) -> SyscallResult {
        while true {
            let rc = body()
            if rc >= 0 { return .done(rc) }
            let err = Glibc.errno
            switch err {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SystemError(name, errno: err)
            }
        }
    }

    /// A call that cannot block (socket, bind, listen, setsockopt, epoll_ctl): any failure is an error.
    @inline(__always)
    @discardableResult
    package static func nonBlocking(_ name: String, _ body: () -> Int32) throws(SystemError) -> Int32 {
        while true {
            let rc = body()
            if rc >= 0 { return rc }
            let err = Glibc.errno
            if err == EINTR { continue }
            throw SystemError(name, errno: err)
        }
    }
}
