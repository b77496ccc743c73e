// Facts about recordings through the binary: `serve --record FILE` writes one and says what it
// holds; `replay FILE --info` reads it back (observations, events, bytes per event, the history
// and its seek time) with no terminal; a file that is missing or no recording is one line and exit 1;
// an unwritable --record path ends serve with one line and exit 1.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct ReplayCommandTests {
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "runviz-cli-\(getpid())-\(name).rec"
    }

    @Test func serveRecordsAndReplayInfoReadsItBack() throws {
        let path = Self.temporaryPath("serve")
        defer { unlink(path) }
        let serve = try Runviz(["serve", "--port", "0", "--duration", "1.5", "--record", path])
        #expect(serve.waitForStderr(containing: "echo on 127.0.0.1:"), "\(serve.stderr)")
        let port = try #require(servedPort(serve.stderr))
        #expect(echo(Array("recorded".utf8), port: port) == Array("recorded".utf8))
        let r = try serve.finish(within: 6)
        #expect(r.status == 0, "\(r.stderr)")
        let last = try #require(r.stderrLines.last)
        #expect(last.hasPrefix("runviz: recorded ") && last.hasSuffix(" to \(path)"), "\(last)")

        let info = try runviz("replay", path, "--info", within: 20)
        #expect(info.status == 0, "\(info.stderr)")
        let lines = info.stdoutLines
        #expect(lines.count == 6, "\(lines)")
        #expect(lines.first?.hasPrefix("\(path): ") == true)
        #expect(lines.contains { $0.hasPrefix("bytes: ") && $0.contains(" bytes per event)") })
        #expect(lines.contains("dropped by the recorder: 0 observations in 0 gaps; cut off at the end: 0 bytes"))
        #expect(lines.contains { $0.hasPrefix("memory: the heap in use grew ") && $0.hasSuffix(" held") })
        #expect(
            lines.last?.hasPrefix("seek (rebuild the frame of an instant, 50 spread over the window): p50 ") == true)
    }

    @Test func badRecordingsAreOneLineAndExit1() throws {
        let missing = Self.temporaryPath("missing")
        let r = try runviz("replay", missing, "--info")
        #expect(r.status == 1)
        #expect(r.stderrLines == ["Error: cannot open \(missing): No such file or directory"])
        let text = Self.temporaryPath("text")
        FileManager.default.createFile(atPath: text, contents: Data("plain text\n".utf8))
        defer { unlink(text) }
        let t = try runviz("replay", text)
        #expect(t.status == 1)
        #expect(t.stderrLines == ["Error: \(text): not a runviz recording"])
    }

    @Test func anUnwritableRecordPathIsOneLineAndExit1() throws {
        let r = try runviz("serve", "--port", "0", "--record", "/nonexistent-dir/x.rec", within: 5)
        #expect(r.status == 1)
        #expect(r.stderrLines.last == "Error: cannot record to /nonexistent-dir/x.rec: No such file or directory")
    }
}
