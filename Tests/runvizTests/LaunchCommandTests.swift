// Facts about `runviz launch` run as a subprocess: with stdout not a terminal it prints the "needs a
// terminal" error and exits 2 without starting anything; a bad flag is a one-line error (the first
// line of stderr, usage after it) and exit 64.

import Foundation
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct LaunchCommandTests {
    @Test func withoutATerminalItSaysSoAndExits2() throws {
        let r = try runviz("launch", within: 5)
        #expect(r.status == 2)
        #expect(r.stderrLines == ["runviz launch needs a terminal; for scripts use `runviz serve`"])
        #expect(r.stdout.isEmpty)
        #expect(r.seconds < 3)
    }

    @Test func tooManyClientsIsAOneLineError() throws {
        let r = try runviz("launch", "--clients", "10001", within: 5)
        #expect(r.status == 64)
        #expect(r.stderrLines.first == "Error: --clients must be between 0 and 10000 (got 10001)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aBadFrameRateIsAOneLineError() throws {
        let r = try runviz("launch", "--fps", "0", within: 5)
        #expect(r.status == 64)
        #expect(r.stderrLines.first == "Error: --fps must be between 1 and 60 (got 0)")
        #expect(r.stderrLines.dropFirst().allSatisfy { !$0.hasPrefix("Error") }, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
