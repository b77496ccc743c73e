// Facts about the shared turn of the two poll servers, on a real loopback listener: a wake from
// another thread ends a wait and stays seen until drained, a pending client makes the listener
// acceptable and `acceptAll` hands over every one, and a connection's readiness is reported by the
// index it was given.

import CRunvizLinux
import Glibc
import Testing

@testable import RunvizSystem

@Suite struct PollServerTests {
    static func loopbackServer() throws -> (PollServer, Posix.Address) {
        let listener = try Posix.listen(on: #require(Posix.Address(ipv4: "127.0.0.1", port: 0)), backlog: 8)
        let server = try PollServer(listener: listener, outOfDescriptors: .nap(microseconds: 1_000))
        return (server, try Posix.localAddress(listener))
    }

    static func connect(to address: Posix.Address) throws -> Int32 {
        let fd = try Posix.streamSocket(for: address)
        _ = try Posix.connect(fd, to: address)
        return fd
    }

    static let none: [(fd: Int32, events: Int16)] = []

    @Test func aWakeEndsTheWaitAndStaysSeenUntilDrained() throws {
        let (server, _) = try Self.loopbackServer()
        defer { server.close() }
        let waker = try OSThread.start(name: "runviz-waker") {
            usleep(20_000)
            server.wakeUp()
        }
        defer { waker.join() }
        #expect(server.wait(for: Self.none, timeoutMillis: 10_000, now: 0))
        #expect(server.woken)
        #expect(server.wait(for: Self.none, timeoutMillis: 0, now: 0))
        #expect(server.woken)
        server.drainWake()
        #expect(server.wait(for: Self.none, timeoutMillis: 0, now: 0))
        #expect(!server.woken)
    }

    @Test func everyPendingClientIsAcceptedAndItsBytesSeenByItsIndex() throws {
        let (server, address) = try Self.loopbackServer()
        defer { server.close() }
        let clients = try (0..<3).map { _ in try Self.connect(to: address) }
        defer { for fd in clients { close(fd) } }
        var accepted: [Int32] = []
        let deadline = runviz_now_ns() + 5_000_000_000
        while accepted.count < clients.count && runviz_now_ns() < deadline {
            #expect(server.wait(for: Self.none, timeoutMillis: 100, now: 0))
            if server.acceptable { server.acceptAll(now: 0) { accepted.append($0) } }
        }
        defer { for fd in accepted { close(fd) } }
        #expect(accepted.count == 3)

        let byte: [UInt8] = [7]
        _ = try byte.withUnsafeBytes { try Posix.send(clients[1], $0) }
        let interests = accepted.map { (fd: $0, events: Int16(POLLIN)) }
        // Which accepted fd is the second client's is the kernel's order: look for one readable.
        #expect(server.wait(for: interests, timeoutMillis: 5_000, now: 0))
        let readable = accepted.indices.filter { server.revents(ofConnection: $0) & Int16(POLLIN) != 0 }
        #expect(readable.count == 1)
    }
}
