// Facts about `runviz run` refusing a program, run as subprocesses: with no program it is a usage
// error (exit 64); a program not found, not executable or not Swift is one line and exit 1; a Swift
// program with no terminal to draw on is one line and exit 1 too. None of them is started (the
// refusals come before any spawn; Tests/e2e/run.sh checks that no log file appears, and covers the
// static-stdlib and other-runtime refusals, which need programs built for them).

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct RunCommandTests {
    @Test func noProgramIsAUsageError() throws {
        try expectUsageError(["run"], "Error: name the program to run after --: runviz run -- PROGRAM ARGS…")
    }

    @Test func aMissingProgramIsOneLine() throws {
        let name = "no-such-program-\(getpid())"
        let r = try runviz("run", "--", name, within: 5)
        #expect(r.status == 1)
        #expect(r.stderrLines == ["Error: \(name): not found"])
        let path = "/tmp/\(name)/program"
        let byPath = try runviz("run", "--", path, within: 5)
        #expect(byPath.stderrLines == ["Error: \(path): not found"])
    }

    @Test func aFileThatIsNotExecutableIsOneLine() throws {
        let path = "/tmp/runviz-run-test-\(getpid()).txt"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("not a program\n".utf8)))
        defer { unlink(path) }
        let r = try runviz("run", "--", path, within: 5)
        #expect(r.status == 1)
        #expect(r.stderrLines == ["Error: \(path): not an executable file"])
    }

    @Test func aProgramThatIsNotSwiftIsOneLine() throws {
        let r = try runviz("run", "--", "/bin/true", within: 5)
        #expect(r.status == 1)
        #expect(r.stderrLines == ["Error: /bin/true: not a Swift program (it does not load libswiftCore.so)"])
        let script = "/tmp/runviz-run-test-\(getpid()).sh"
        #expect(FileManager.default.createFile(atPath: script, contents: Data("#!/bin/sh\nexit 0\n".utf8)))
        defer { unlink(script) }
        chmod(script, 0o755)
        let wrapper = try runviz("run", "--", script, within: 5)
        #expect(wrapper.status == 1)
        #expect(
            wrapper.stderrLines == [
                "Error: \(script): not a 64-bit ELF program (runviz injects into Swift programs built for Linux)"
            ])
    }

    /// runviz itself is a dynamically linked Swift program on runviz's own runtime: it passes every
    /// check of the program, and is still not started without a terminal.
    @Test func aSwiftProgramWithoutATerminalIsNotStarted() throws {
        let binary = try #require(CLI.binary)
        let r = try runviz("run", "--", binary, "--help", within: 5)
        #expect(r.status == 1)
        #expect(
            r.stderrLines == ["Error: runviz run needs a terminal to draw the dashboard on; \(binary) was not started"])
        #expect(r.stdout.isEmpty)
    }
}
