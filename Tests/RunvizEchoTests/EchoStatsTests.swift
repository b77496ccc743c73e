// Facts about the echo server's counters, read from outside the runtime as any observer would:
// after a verified load the bytes echoed equal the load generator's bytes received exactly and
// every round trip is an answered read; connection counts follow tasks and threads exactly and
// return to zero; the counters are readable while every worker is blocked (the observer never
// waits on the runtime).

import Foundation
import Glibc
import RunvizEcho
import RunvizLoad
import RunvizRuntime
import RunvizTestSupport
import Synchronization
import Testing

extension EchoTests {
    @Suite struct EchoStatsTests {
        @Test func freshStatsAreZero() {
            let stats = EchoStats()
            let counts = [
                stats.echoCount, stats.bytesEchoed, UInt64(stats.openTaskCount), UInt64(stats.openThreadCount),
                stats.acceptedCount, stats.connectionErrorCount, stats.acceptBackoffCount,
            ]
            #expect(counts == [0, 0, 0, 0, 0, 0, 0])
            #expect(stats.openConnections == 0)
        }

        @Test func aVerifiedLoadIsCountedExactly() throws {
            let s = try Served(.tasks)
            defer { s.shutdown() }
            let options = LoadOptions(
                host: "127.0.0.1", port: Int(s.port), clients: 10, size: 128, rate: 100, duration: 1, threads: 1,
                timeout: 3)
            let stats = s.server.stats
            let during = Background { () -> Bool in
                eventually(5) { stats.openTaskCount == 10 }
            }
            let report = try LoadGenerator(options).run()
            #expect(report.errors.total == 0, "\(report.summary)")
            #expect(try during.value())
            #expect(eventually { s.server.stats.openTaskCount == 0 })
            #expect(
                s.server.stats.bytesEchoed == report.bytesReceived, "every byte the clients got back was counted once")
            #expect(s.server.stats.echoCount >= report.roundTrips, "each round trip took at least one answered read")
            #expect(s.server.stats.echoCount <= 2 * report.roundTrips)
            #expect(s.server.stats.acceptedCount == 10 + 1, "the clients and the generator's probe")
            #expect(s.server.stats.connectionErrorCount == 0)
        }

        @Test func threadConnectionsAreCountedAndTheModeFollows() throws {
            let s = try Served(.threads)
            defer { s.shutdown() }
            let message = Array("thread".utf8)
            let clients = try (0..<3).map { _ in try Client(port: s.port) }
            for c in clients { #expect(c.echo(message) == message) }
            #expect(eventually { s.server.stats.echoCount == 3 }, "counted right after each reply")
            #expect(s.server.stats.openThreadCount == 3)
            #expect(s.server.stats.openTaskCount == 0)
            #expect(s.server.stats.bytesEchoed == UInt64(3 * message.count))
            for c in clients { c.close() }
            #expect(eventually { s.server.stats.openThreadCount == 0 })
        }

        @Test func countersAreReadableWhileEveryWorkerIsBlocked() throws {
            let s = try Served(.tasks, workers: 1)
            defer { s.shutdown() }
            let client = try Client(port: s.port)
            defer { client.close() }
            #expect(client.echo(Array("before".utf8)) == Array("before".utf8))
            #expect(eventually { s.server.stats.echoCount == 1 }, "counted right after the reply is written")
            let started = Flag()
            let release = Flag()
            s.runtime.spawn(name: "blocker") {
                started.set()
                while !release.isSet { usleep(1_000) }
            }
            #expect(eventually { started.isSet })
            // The one worker is stuck: the counters still answer at once, and do not move.
            let before = s.server.stats.echoCount
            #expect(client.send(Array("stalled".utf8)) == 7)
            usleep(100_000)
            #expect(s.server.stats.echoCount == before)
            release.set()
            #expect(eventually { s.server.stats.echoCount == before + 1 })
        }
    }
}

/// A flag a test raises from its own thread for a task to see.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { raised.load(ordering: .relaxed) }
    func set() { raised.store(true, ordering: .relaxed) }
}
