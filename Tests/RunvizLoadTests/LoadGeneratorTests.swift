// LoadGeneratorTests: whole runs against TestEchoServer, correct and broken. Each run is bounded by a
// count and a short time limit, so a failure shows as a wrong number, never as a hang.

import Glibc
import RunvizLock
import Testing

@testable import RunvizLoad

@Suite struct LoadGeneratorTests {
    func options(_ port: Int, clients: Int, count: Int? = 20, scenario: LoadScenario = .steady) -> LoadOptions {
        LoadOptions(port: port, clients: clients, count: count, scenario: scenario, threads: 2, timeout: 3)
    }

    @Test func fiftyClientsAgainstACorrectServerVerifyEveryRoundTrip() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 50, count: 20)).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 50 * 20)
        #expect(report.expectedRoundTrips == 50 * 20)
        #expect(report.connectedClients == 50)
        #expect(report.bytesSent == 50 * 20 * 64 && report.bytesReceived == report.bytesSent)
        #expect(report.latency.count == 50 * 20)
        #expect(report.latency.p50 > 0 && report.latency.p50 <= report.latency.max)
        #expect(!report.hasErrors)
        #expect(report.summary.contains("errors:       none"))
    }

    @Test func aFlippedByteIsCountedAsAMismatchAndReported() throws {
        let server = TestEchoServer(.corrupt(every: 64, at: 10))
        let report = try LoadGenerator(options(server.port, clients: 5, count: 10)).run()
        #expect(report.errors.mismatch == 5 * 10, "\(report.summary)")
        #expect(report.roundTrips == 0)
        #expect(report.hasErrors)
        #expect(report.summary.contains("mismatch 50"))
        let where_ = try #require(report.firstMismatch)
        #expect(where_.contains("byte 10"), "\(where_)")
    }

    @Test func aServerThatResetsConnectionsIsCountedAsResets() throws {
        let server = TestEchoServer(.resetAfter(bytes: 100))
        let report = try LoadGenerator(options(server.port, clients: 8, count: 10)).run()
        #expect(report.errors.reset == 8, "\(report.summary)")
        #expect(report.errors.total == 8)
        #expect(report.roundTrips == 8)
        #expect(report.summary.contains("reset 8"))
    }

    @Test func aSilentServerIsCountedAsTimeouts() throws {
        let server = TestEchoServer(.silent)
        var options = options(server.port, clients: 4, count: 5)
        options.timeout = 0.3
        let report = try LoadGenerator(options).run()
        #expect(report.errors.timeout == 4, "\(report.summary)")
        #expect(report.roundTrips == 0)
    }

    @Test func halfCloseAgainstACorrectServerPasses() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 10, count: 5, scenario: .halfClose)).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 50)
        #expect(report.connectionsOpened == 50)
    }

    @Test func churnReconnectsEveryFewRoundTrips() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 10, count: 8, scenario: .churn)).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 80)
        #expect(report.connectionsOpened == UInt64(10 * 8 / LoadScenario.churnRoundTrips))
    }

    @Test func resetScenarioAbortsMidMessageWithoutCountingErrors() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 6, count: 4, scenario: .reset)).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 24)
        #expect(report.resetsSent == 6)
        #expect(report.connectionsOpened == 12)
    }

    @Test func slowReaderStreamsAndVerifiesEverything() throws {
        let server = TestEchoServer()
        var options = options(server.port, clients: 4, count: nil, scenario: .slowReader)
        options.duration = 1
        options.size = 1_000
        let report = try LoadGenerator(options).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips > 0)
        // Reading back tens of MiB of socket buffers within the 2 s drain takes an uninstrumented build.
        if !runningUnderThreadSanitizer { #expect(report.bytesReceived == report.bytesSent) }
    }

    @Test func oversizeSendsOneVerifiedSixteenMebibyteMessagePerClient() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 2, count: nil, scenario: .oversize)).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 2)
        #expect(report.bytesReceived == 2 * UInt64(LoadScenario.oversizeBytes))
    }

    @Test func rateLimitsMessagesPerClient() throws {
        let server = TestEchoServer()
        var options = options(server.port, clients: 5, count: 6)
        options.rate = 20
        let start = runvizTestNow()
        let report = try LoadGenerator(options).run()
        let seconds = runvizTestNow() - start
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips == 30)
        // Six messages at 20 per second: the last starts 250 ms after the first.
        #expect(seconds >= 0.24, "took \(seconds) s")
    }

    @Test func aPacedRunIsTimedFromSendAndFromSchedule() throws {
        let server = TestEchoServer()
        var options = options(server.port, clients: 10, count: 10)
        options.rate = 50
        let report = try LoadGenerator(options).run()
        #expect(report.errors.total == 0, "\(report.summary)")
        let fromSchedule = try #require(report.scheduleLatency)
        #expect(report.latency.count == 100 && fromSchedule.count == 100)
        // Every message's slot comes before its send, so each percentile from schedule is at least the one
        // from send.
        #expect(fromSchedule.p50 >= report.latency.p50 && fromSchedule.max >= report.latency.max)
        #expect(report.summary.contains("latency µs (from send):      p50 "), "\(report.summary)")
        #expect(report.summary.contains("latency µs (from schedule):  p50 "), "\(report.summary)")
    }

    @Test func anUnpacedRunHasNoScheduleToBeTimedFrom() throws {
        let server = TestEchoServer()
        let report = try LoadGenerator(options(server.port, clients: 4, count: 10)).run()
        #expect(report.latency.count == 40)
        #expect(report.scheduleLatency == nil)
        #expect(!report.summary.contains("from schedule"), "\(report.summary)")
    }

    @Test func connectionRefusedIsTheDocumentedError() throws {
        let closed = ClosedPort()
        #expect(throws: LoadError.connectionRefused(host: "127.0.0.1", port: closed.port)) {
            try LoadGenerator(options(closed.port, clients: 3)).run()
        }
        let message = LoadError.connectionRefused(host: "127.0.0.1", port: 7878).description
        #expect(
            message
                == "cannot connect to 127.0.0.1:7878: connection refused — is `runviz serve` or `runviz launch` running?"
        )
    }

    @Test func stopEndsALongRunEarly() throws {
        let server = TestEchoServer()
        var options = options(server.port, clients: 4, count: nil)
        options.duration = 60
        options.rate = 100
        let generator = LoadGenerator(options)
        TestEchoServer.spawn {
            usleep(300_000)
            generator.stop()
        }
        let start = runvizTestNow()
        let report = try generator.run()
        // Long before the 60 s it was given (and with room for a sanitizer build's slowness).
        #expect(runvizTestNow() - start < 30)
        #expect(report.stoppedEarly)
        #expect(report.errors.total == 0, "\(report.summary)")
        #expect(report.roundTrips > 0)
    }

    @Test func progressIsReportedWhileRunning() throws {
        let server = TestEchoServer()
        var options = options(server.port, clients: 2, count: nil)
        options.duration = 1.3
        options.rate = 50
        var samples: [LoadProgress] = []
        let report = try LoadGenerator(options).run { samples.append($0) }
        #expect(report.errors.total == 0)
        #expect(samples.first?.clients == 2)
        // On a loaded machine the second connection can land after the first report.
        let connected = try #require(samples.first { $0.openConnections == 2 })
        #expect(connected.roundTrips > 0 && connected.roundTripsPerSecond > 0)
        #expect(connected.line.contains("connected 2/2"))
    }
}

func runvizTestNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
