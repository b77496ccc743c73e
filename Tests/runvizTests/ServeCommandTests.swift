// Facts about `runviz serve` run as a subprocess: bad flags are one-line errors with exit 64; a port
// already in use is a one-line error naming the port, exit 1; `--port 0 --json` names the real
// address on stderr, serves echoes there, and prints one JSON DashboardSnapshot per line that
// decodes and agrees with what happened; `--duration` ends it with exit 0; SIGTERM ends it promptly
// with exit 0, even when its parent started it with SIGTERM blocked.

import Foundation
import Glibc
import RunvizObservation
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct ServeCommandTests {
    @Test(arguments: [
        (["serve", "--workers", "0"], "Error: --workers must be between 1 and 64 (got 0)"),
        (["serve", "--port", "70000"], "Error: --port must be between 0 and 65535 (got 70000)"),
        (["serve", "--blocked-ms", "0"], "Error: --blocked-ms must be more than 0 and at most 60 s (got 0 ms)"),
        (["serve", "--bogus"], "Error: Unknown option '--bogus'"),
        (["serve", "--duration", "0"], "Error: --duration must be positive"),
    ])
    func badFlagsAreOneLineErrors(_ arguments: [String], _ message: String) throws {
        try expectUsageError(arguments, message)
    }

    @Test func aPortInUseIsAOneLineErrorNamingThePort() throws {
        let occupied = try Listener()
        defer { occupied.close() }
        let r = try runviz("serve", "--port", "\(occupied.port)", within: 5)
        #expect(r.status == 1)
        #expect(
            r.stderrLines == [
                "Error: port \(occupied.port) is in use on 127.0.0.1; stop the other server or pass --port"
            ])
        #expect(r.stdout.isEmpty)
    }

    @Test func jsonLinesDecodeAsDashboardSnapshots() throws {
        let serve = try Runviz([
            "serve", "--port", "0", "--workers", "2", "--duration", "2", "--json", "--interval", "0.25",
        ])
        #expect(serve.waitForStderr(containing: "echo on 127.0.0.1:"), "\(serve.stderr)")
        let port = try #require(servedPort(serve.stderr), "\(serve.stderr)")
        #expect(port != 0)
        let message = Array("json".utf8)
        #expect(echo(message, port: port) == message)

        let r = try serve.finish(within: 6)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines == ["runviz serve: echo on 127.0.0.1:\(port) (tasks mode, 2 workers)"])
        let decoder = JSONDecoder()
        let frames = try r.stdoutLines.map { try decoder.decode(DashboardSnapshot.self, from: Data($0.utf8)) }
        #expect(frames.count >= 4, "\(r.stdoutLines.count) lines")
        for frame in frames {
            #expect(frame.echo.address == "127.0.0.1:\(port)")
            #expect(frame.echo.mode == .tasks)
            #expect(frame.runtime.configuration.workers == 2)
            #expect(frame.runtime.workers.count == 2)
            #expect(frame.runtime.tasks.contains { $0.name == "accept-loop" })
        }
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.runtime.takenAt < $1.runtime.takenAt })
        let last = try #require(frames.last)
        #expect(last.echo.totalConnections == 1)
        #expect(last.echo.openConnections == 0)
        let accept = try #require(last.runtime.tasks.first { $0.name == "accept-loop" })
        guard case .parked(.io(let fd, .read)) = accept.state else {
            Issue.record("accept-loop is \(accept.state), not parked on its listener")
            return
        }
        #expect(last.runtime.fds.contains { $0.fd == fd && $0.ownerName == "accept-loop" })
        #expect(r.seconds < 4)
    }

    @Test func sigtermStopsItPromptlyWithExit0() throws {
        let serve = try Runviz(["serve", "--port", "0"])
        #expect(serve.waitForStderr(containing: "echo on 127.0.0.1:"), "\(serve.stderr)")
        let port = try #require(servedPort(serve.stderr))
        #expect(echo(Array("up".utf8), port: port) == Array("up".utf8))
        serve.signal(SIGTERM)
        let r = try serve.finish(within: 3)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.seconds < 1.5, "took \(r.seconds) s")
        #expect(echo(Array("down".utf8), port: port) == nil, "nothing listens any more")
    }

    /// Regression: a child inherits its parent thread's signal mask, and any Swift-concurrency or
    /// Dispatch thread blocks SIGINT/SIGTERM. Serve must unblock them itself, or SIGTERM stays
    /// pending and only SIGKILL ends it.
    @Test func sigtermStopsItEvenWhenItsParentBlockedStopSignals() throws {
        let serve = try Runviz(["serve", "--port", "0"], stopSignalsBlocked: true)
        #expect(serve.waitForStderr(containing: "echo on 127.0.0.1:"), "\(serve.stderr)")
        serve.signal(SIGTERM)
        let r = try serve.finish(within: 3)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.seconds < 1.5, "took \(r.seconds) s")
    }
}
