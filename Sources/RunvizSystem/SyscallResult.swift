// What a call that may block returned: a count, or "it would block" (EAGAIN), which is a value
// for the caller to act on (park on the fd), not an error.

package enum SyscallResult: Equatable {
    case done(Int)
    case wouldBlock
}
