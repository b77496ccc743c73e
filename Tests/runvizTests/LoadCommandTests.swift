// Facts about `runviz load` run as a subprocess: out-of-range clients and a malformed address are
// one-line errors with exit 64; nothing listening is one line on stderr and exit 1; against
// `runviz serve` on an explicit port, 50 clients × 20 round trips all come back verified (exit 0,
// the summary counts 1,000 of 1,000), and serve then stops on SIGTERM with exit 0.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct LoadCommandTests {
    @Test(arguments: [
        (["load", "--clients", "0"], "Error: --clients must be between 1 and 10000 (got 0)"),
        (["load", "--clients", "10001"], "Error: --clients must be between 1 and 10000 (got 10001)"),
        (["load", "--connect", "nonsense"], "Error: --connect must be host:port (got \"nonsense\")"),
        (
            ["load", "--scenario", "chaos"],
            "Error: --scenario must be one of steady, churn, slow-reader, reset, half-close, oversize (got \"chaos\")"
        ),
    ])
    func badFlagsAreOneLineErrors(_ arguments: [String], _ message: String) throws {
        try expectUsageError(arguments, message)
    }

    @Test func nothingListeningIsOneLineAndExit1() throws {
        let port = try freePort()
        let r = try runviz("load", "--connect", "127.0.0.1:\(port)", "--clients", "1", "--count", "1", within: 8)
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("127.0.0.1:\(port)") && r.stderr.contains("connection refused"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func fiftyClientsAgainstServeAllComeBackThenSigtermStopsServe() throws {
        let port = try freePort()
        let serve = try Runviz(["serve", "--port", "\(port)"])
        #expect(serve.waitForStderr(containing: "echo on 127.0.0.1:\(port)"), "\(serve.stderr)")

        let r = try runviz("load", "--connect", "127.0.0.1:\(port)", "--clients", "50", "--count", "20", within: 20)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("connected:    50/50 clients"), "\(r.stdout)")
        #expect(r.stdout.contains("round trips:  1,000 of 1,000 expected"), "\(r.stdout)")
        #expect(r.stdout.contains("errors:       none"), "\(r.stdout)")

        serve.signal(SIGTERM)
        let stopped = try serve.finish(within: 3)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.seconds < 1.5, "took \(stopped.seconds) s")
        // One stats line per second while it ran, naming the connections it served.
        #expect(stopped.stdoutLines.allSatisfy { $0.hasPrefix("conns ") }, "\(stopped.stdout)")
    }
}
