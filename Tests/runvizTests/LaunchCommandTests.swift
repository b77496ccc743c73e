// Facts about `runviz launch` run as a subprocess: with stdout not a terminal it prints the "needs a
// terminal" error and exits 2 without starting anything; a bad flag is a one-line error (the first
// line of stderr, usage after it) and exit 64, and so is a lesson folder that lacks lessons.

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

    @Test func aLessonFolderThatLacksLessonsIsAOneLineErrorBeforeAnythingStarts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runviz-lessons-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "# Why async\n".write(
            to: folder.appendingPathComponent("01-why-async.md"), atomically: true, encoding: .utf8)
        let r = try runviz("launch", "--lessons", folder.path, within: 5)
        #expect(r.status == 64)
        #expect(
            r.stderrLines.first
                == "Error: --lessons \(folder.path) lacks 14 of the 15 lesson files "
                + "(02-mental-model.md, 03-futures-are-lazy.md, 04-the-runtime.md, …)")
        let missing = try runviz("replay", "some.rec", "--lessons", folder.path + "/nowhere", within: 5)
        #expect(missing.status == 64)
        #expect(missing.stderrLines.first == "Error: --lessons \(folder.path)/nowhere: no such folder")
        #expect(r.stdout.isEmpty && missing.stdout.isEmpty)
    }

    @Test func aBadFrameRateIsAOneLineError() throws {
        let r = try runviz("launch", "--fps", "0", within: 5)
        #expect(r.status == 64)
        #expect(r.stderrLines.first == "Error: --fps must be between 1 and 60 (got 0)")
        #expect(r.stderrLines.dropFirst().allSatisfy { !$0.hasPrefix("Error") }, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
