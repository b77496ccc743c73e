// A failed system call: the call's name and errno. The syscall wrappers (RunvizSystem) are the only code
// that builds one from errno; everything above them sees this typed error, never errno itself.

import Glibc

/// A failed system call: its name and errno; `description` reads as "read: Bad file descriptor".
public struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call that failed ("read", "accept", "bind").
    public let call: String
    /// The errno it set.
    public let errno: Int32
    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }
    public var description: String { "\(call): \(String(cString: strerror(errno)))" }
    /// EMFILE or ENFILE: the process or the system has no descriptor left.
    public var isOutOfFileDescriptors: Bool { errno == EMFILE || errno == ENFILE }
    /// `call` refused because there is no open fd to make it on (EBADF).
    public static func notOpen(_ call: String) -> SystemError { SystemError(call, errno: EBADF) }
}
