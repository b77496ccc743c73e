// Facts about the driver on a real epoll instance, turned by the test (no workers): readiness
// reaches the registration its key names, a wake is drained by the next turn, and a closed
// registration's key no longer finds it. Sockets are non-blocking AF_UNIX pairs.

import Glibc
import RunvizSystem
import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct DriverTests {
    let driver: Driver

    init() throws { driver = try Driver(recorder: Recorder(hub: TelemetryHub(workerCount: 1))) }

    @Test func readinessReachesTheRegistrationItsKeyNames() throws {
        let (a, b) = try nonBlockingSocketPair()
        defer { close(b) }
        let registration = try driver.register(fd: a)
        defer { driver.close(registration) }
        #expect(driver.registered.load(ordering: .relaxed) == 1)
        #expect(driver.registration(for: registration.key) === registration)

        var byte: UInt8 = 1
        #expect(write(b, &byte, 1) == 1)
        driver.turn(timeoutMs: 0)
        // No task waits, so the edges are counted for the next wait.
        #expect(registration.edges(.read) > 0 && registration.edges(.write) > 0)
    }

    @Test func eachRegistrationGetsItsOwnGeneration() throws {
        let (a, b) = try nonBlockingSocketPair()
        let first = try driver.register(fd: a)
        let second = try driver.register(fd: b)
        defer {
            driver.close(first)
            driver.close(second)
        }
        #expect(first.key.generation != second.key.generation)
    }

    @Test func aClosedRegistrationsKeyFindsNothing() throws {
        let (a, b) = try nonBlockingSocketPair()
        defer { close(b) }
        let registration = try driver.register(fd: a)
        driver.close(registration)
        #expect(registration.isClosed)
        #expect(driver.registration(for: registration.key) == nil)
        #expect(driver.registered.load(ordering: .relaxed) == 0)
    }

    @Test func aWakeIsDrainedByTheNextTurn() throws {
        driver.wake()
        driver.turn(timeoutMs: 0)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
        defer { buffer.deallocate() }
        #expect(try Posix.read(driver.wakeFD, into: buffer) == .wouldBlock)
    }

    @Test func anFdEpollRefusesIsATypedErrorAndLeavesNoRegistration() throws {
        // epoll refuses regular files (EPERM): this test's own source file is one.
        let fd = open(#filePath, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: SystemError("epoll_ctl", errno: EPERM)) { try driver.register(fd: fd) }
        #expect(driver.registered.load(ordering: .relaxed) == 0)
    }

    @Test func aNegativeFdIsATypedErrorNotATrap() {
        #expect(throws: SystemError("epoll_ctl", errno: EBADF)) { try driver.register(fd: -1) }
        #expect(driver.registered.load(ordering: .relaxed) == 0)
    }
}
