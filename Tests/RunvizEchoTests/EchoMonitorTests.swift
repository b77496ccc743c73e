// Facts about EchoMonitor: its snapshot names the server's address and mode; during a verified load
// it reports round trips and bytes per second above zero, server-side latency, and the exact open
// connection counts (tasks or threads); once the load ends the counts return to zero and an idle
// sample reports no round trips; stop() ends its sampling task.

import Foundation
import Glibc
import RunvizEcho
import RunvizLoad
import RunvizRuntime
import RunvizTelemetry
import RunvizTestSupport
import Testing

extension EchoTests {
    @Suite struct EchoMonitorTests {
        @Test func reportsRoundTripsPerSecondAndOpenConnectionsDuringLoad() throws {
            let s = try Served(.tasks)
            let monitor = EchoMonitor(server: s.server)
            monitor.start(interval: .milliseconds(100))
            defer {
                monitor.stop()
                s.shutdown()
            }
            let idle = monitor.snapshot
            #expect(idle.address == "127.0.0.1:\(s.port)")
            #expect(idle.mode == .tasks)
            #expect(idle.openConnections == 0)
            #expect(idle.roundTripsPerSecond == 0)

            let options = LoadOptions(
                host: "127.0.0.1", port: Int(s.port), clients: 10, size: 128, rate: 100, duration: 1.5, threads: 1,
                timeout: 3)
            let load = Background { try LoadGenerator(options).run() }
            let busy = eventually(5) {
                let e = monitor.snapshot
                return e.roundTripsPerSecond > 0 && e.openConnections == 10
            }
            let during = monitor.snapshot
            #expect(busy, "\(during)")
            #expect(during.taskConnections == 10)
            #expect(during.threadConnections == 0)
            #expect(during.totalConnections == 10 + 1, "the clients and the generator's probe")
            #expect(during.bytesPerSecond > 0)
            #expect(during.p50Micros > 0 && during.p99Micros >= during.p50Micros)

            let report = try load.value()
            #expect(report.errors.total == 0, "\(report.summary)")
            #expect(report.roundTrips > 0)
            let quiet = eventually(3) {
                let e = monitor.snapshot
                return e.openConnections == 0 && e.roundTripsPerSecond == 0
            }
            #expect(quiet, "\(monitor.snapshot)")
            #expect(monitor.snapshot.totalConnections == 10 + 1)
            #expect(monitor.snapshot.acceptBackoffs == 0)
        }

        @Test func countsThreadConnectionsAndFollowsTheMode() throws {
            let s = try Served(.threads)
            let monitor = EchoMonitor(server: s.server)
            monitor.start(interval: .milliseconds(100))
            defer {
                monitor.stop()
                s.shutdown()
            }
            let message = Array("thread".utf8)
            let clients = try (0..<3).map { _ in try Client(port: s.port) }
            for c in clients { #expect(c.echo(message) == message) }
            let e = monitor.snapshot
            #expect(e.mode == .threads)
            #expect(e.openConnections == 3)
            #expect(e.threadConnections == 3)
            #expect(e.taskConnections == 0)
            s.server.mode = .tasks
            #expect(monitor.snapshot.mode == .tasks)
            for c in clients { c.close() }
            #expect(eventually { monitor.snapshot.openConnections == 0 })
        }

        @Test func stopEndsTheSamplingTask() throws {
            let s = try Served(.tasks)
            defer { s.shutdown() }
            let monitor = EchoMonitor(server: s.server)
            monitor.start(interval: .milliseconds(20))
            let (_, running) = s.waitFor { $0.tasks.contains { $0.name == "echo-stats" && $0.polls >= 2 } }
            #expect(running)
            monitor.stop()
            let (snap, ended) = s.waitFor { snap in
                snap.tasks.contains { $0.name == "echo-stats" && ($0.state == .cancelled || $0.state == .completed) }
            }
            #expect(ended, "\(snap.tasks.filter { $0.name == "echo-stats" }.map(\.state))")
        }
    }
}
