// The one place that calls the kernel for the runtime's I/O: retries EINTR, turns EAGAIN into a
// value, and turns every other failure into a typed error carrying errno and the call's name.
// EBADF/EFAULT would be program bugs; they surface as errors rather than traps so a test sees them.

import Glibc

public struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32
    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }
    public var description: String { "\(call): \(String(cString: strerror(errno)))" }
    public var isOutOfFileDescriptors: Bool { errno == EMFILE || errno == ENFILE }
}

enum SyscallResult {
    case done(Int)
    case wouldBlock
}

enum Syscall {
    @inline(__always)
    static func call(_ name: String, _ body: () -> Int) throws(SystemError) -> SyscallResult {
        while true {
            let rc = body()
            if rc >= 0 { return .done(rc) }
            let err = Glibc.errno
            switch err {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, EINPROGRESS: return .wouldBlock
            default: throw SystemError(name, errno: err)
            }
        }
    }

    /// For calls that cannot block (socket, bind, listen, setsockopt).
    static func check(_ name: String, _ body: () -> Int32) throws(SystemError) -> Int32 {
        while true {
            let rc = body()
            if rc >= 0 { return rc }
            let err = Glibc.errno
            if err == EINTR { continue }
            throw SystemError(name, errno: err)
        }
    }
}
