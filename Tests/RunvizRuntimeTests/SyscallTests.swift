// Facts about the syscall wrappers: EINTR is retried, EAGAIN is a value for calls that may block
// and an error for those that cannot, and every other failure is a SystemError naming the call.
// The retry loop is driven by closures that set errno; the wrappers by real calls on fds that
// provoke the case (fd -1 is never open, so it gives EBADF without racing other tests' fds).

import Glibc
import RunvizSystem
import Testing

@Suite struct SyscallTests {
    /// A closure that fails with each errno of `failures` in turn, then returns `result`.
    final class Script: @unchecked Sendable {
        var failures: [Int32]
        let result: Int
        private(set) var calls = 0
        init(failures: [Int32], result: Int) {
            self.failures = failures
            self.result = result
        }
        func call() -> Int {
            calls += 1
            guard !failures.isEmpty else { return result }
            Glibc.errno = failures.removeFirst()
            return -1
        }
    }

    @Test func eintrIsRetriedUntilTheCallSucceeds() throws {
        let script = Script(failures: [EINTR, EINTR], result: 7)
        #expect(try Syscall.mayBlock("read") { script.call() } == .done(7))
        #expect(script.calls == 3)
        let other = Script(failures: [EINTR], result: 0)
        #expect(try Syscall.nonBlocking("bind") { Int32(other.call()) } == 0)
        #expect(other.calls == 2)
    }

    @Test func eagainIsAValueForACallThatMayBlock() throws {
        let script = Script(failures: [EAGAIN], result: 1)
        #expect(try Syscall.mayBlock("read") { script.call() } == .wouldBlock)
        #expect(script.calls == 1)
    }

    @Test func eagainIsAnErrorForACallThatCannotBlock() {
        let script = Script(failures: [EAGAIN], result: 0)
        #expect(throws: SystemError("listen", errno: EAGAIN)) {
            try Syscall.nonBlocking("listen") { Int32(script.call()) }
        }
    }

    @Test func anyOtherErrnoIsASystemErrorNamingTheCall() {
        let script = Script(failures: [ECONNRESET], result: 1)
        #expect(throws: SystemError("send", errno: ECONNRESET)) { try Syscall.mayBlock("send") { script.call() } }
    }

    @Test func readOnAClosedFdIsEBADF() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        #expect(throws: SystemError("read", errno: EBADF)) { try Posix.read(-1, into: buffer) }
        #expect(throws: SystemError("close", errno: EBADF)) { try Posix.close(-1) }
    }

    @Test func getsocknameFailureSurfaces() {
        #expect(throws: SystemError("getsockname", errno: EBADF)) { try Posix.localAddress(-1) }
    }

    @Test func aNonBlockingReadOfAnEmptySocketWouldBlockThenReadsWhatArrives() throws {
        let (first, second) = try nonBlockingSocketPair()
        let fds = [first, second]
        defer { close(fds[0]) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        #expect(try Posix.read(fds[0], into: buffer) == .wouldBlock)

        let bytes: [UInt8] = [1, 2, 3]
        #expect(try bytes.withUnsafeBytes { try Posix.send(fds[1], $0) } == .done(3))
        #expect(try Posix.read(fds[0], into: buffer) == .done(3))

        close(fds[1])
        #expect(try Posix.read(fds[0], into: buffer) == .done(0))
    }

    @Test func sendingToAClosedPeerIsEPIPENotSIGPIPE() throws {
        let (first, second) = try nonBlockingSocketPair()
        let fds = [first, second]
        defer { close(fds[0]) }
        close(fds[1])
        let bytes: [UInt8] = [1]
        #expect(throws: SystemError("send", errno: EPIPE)) { try bytes.withUnsafeBytes { try Posix.send(fds[0], $0) } }
    }

    @Test func anEventFDSignalIsReadOnceByADrain() throws {
        let fd = try EventFD.create()
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
        defer { buffer.deallocate() }
        #expect(try Posix.read(fd, into: buffer) == .wouldBlock)
        try EventFD.signal(fd)
        try EventFD.signal(fd)
        try EventFD.drain(fd)
        #expect(try Posix.read(fd, into: buffer) == .wouldBlock)
    }
}
