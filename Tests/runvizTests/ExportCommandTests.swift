// Facts about `runviz export` run as a subprocess on recordings made with the encoder: a sound one
// becomes JSON (to a file, or to stdout with `-o -`) naming its job after its task, exit 0, nothing
// on stderr, however many reads it takes; a truncated one exports what came before, says where it
// ends, exit 0; a missing file, a file that is no recording, one from a newer runviz, a corrupt
// one, an unwritable output and the recording itself as output are each one line and exit 1 (the
// recording left whole); an unknown format or no output is a usage error (exit 64).

import Foundation
import Glibc
import RunvizObservation
import RunvizTelemetry
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct ExportCommandTests {
    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 1, maxBlockingThreads: 2, blockedThresholdNanos: 1_000_000, instrumentation: true),
        startedAt: 1_000, echoAddress: "127.0.0.1:7007", eventCostNanos: 10)

    static func counters() -> CounterReading {
        CounterReading(
            workers: [
                CounterReading.Worker(
                    index: 0, runs: 0, busyNanos: 0, steals: 0, parks: 0, localQueueDepth: 0, activity: .searching,
                    currentTask: 0, jobStartedAt: 0)
            ], injectQueueDepth: 0, blockingPool: BlockingPoolSnapshot(threads: 0, busy: 0, queued: 0, completed: 0),
            tasksSpawned: 0, tasksFinished: 0, droppedEvents: 0, eventsEnabled: true)
    }

    /// A recording of one task spawned, run for 3 ms on W0 and completed; and where its last block starts.
    static func recording() -> (bytes: [UInt8], lastBlock: Int) {
        var bytes = RecordingEncoder.header(setup)
        var encoder = RecordingEncoder()
        bytes += encoder.block(
            .observation(
                Observation(
                    turn: .update, now: 2_000,
                    events: [
                        RuntimeEvent(time: 1_500, kind: .spawned, task: 42, worker: 0, extra: 0),
                        RuntimeEvent(time: 1_600, kind: .scheduled, task: 42, worker: 0),
                    ], newNames: ["echo \"conn\""], counters: counters())))
        let lastBlock = bytes.count
        bytes += encoder.block(
            .observation(
                Observation(
                    turn: .frame, now: 5_000_000,
                    events: [
                        RuntimeEvent(time: 2_000, kind: .runStarted, task: 42, worker: 0),
                        RuntimeEvent(time: 3_002_000, kind: .runFinished, task: 42, worker: 0),
                    ], counters: counters())))
        return (bytes, lastBlock)
    }

    final class Scratch {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runviz-export-\(UUID())")
        init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: directory) }

        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    }

    /// The names of the complete slices in `json`.
    static func slices(_ json: Data) throws -> [String] {
        let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let events = try #require(root["traceEvents"] as? [[String: Any]])
        return events.filter { $0["ph"] as? String == "X" }.compactMap { $0["name"] as? String }
    }

    @Test func aRecordingBecomesTraceJSON() throws {
        let scratch = try Scratch()
        let input = try scratch.file("run.rec", Self.recording().bytes)
        let output = scratch.path("trace.json")
        let r = try runviz("export", input, "--format", "perfetto", "-o", output)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty && r.stdout.isEmpty, "\(r.stderr)")
        let names = try Self.slices(try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(names == ["wake", "t42 echo \"conn\"", "BLOCKED"])
    }

    @Test func aRecordingOfManyReadsExportsEveryJob() throws {
        // 12 blocks of 1,000 jobs, each with a 60,000-byte name no event refers to (about 64 KiB
        // each, the jobs' events being about 4 KiB): blocks straddle the 64 KiB reads.
        var bytes = RecordingEncoder.header(Self.setup)
        var encoder = RecordingEncoder()
        for turn in 0..<12 {
            let events = (0..<1_000).flatMap { k -> [RuntimeEvent] in
                let t = UInt64(10_000 + (turn * 1_000 + k) * 100)
                return [
                    RuntimeEvent(time: t, kind: .runStarted, task: 7, worker: 0),
                    RuntimeEvent(time: t + 50, kind: .runFinished, task: 7, worker: 0),
                ]
            }
            bytes += encoder.block(
                .observation(
                    Observation(
                        turn: .update, now: UInt64(10_000 + (turn + 1) * 100_000), events: events,
                        newNames: [String(repeating: "n", count: 60_000)], counters: Self.counters())))
        }
        #expect(bytes.count > 10 * (64 << 10))
        let scratch = try Scratch()
        let input = try scratch.file("long.rec", bytes)
        let output = scratch.path("trace.json")
        let r = try runviz("export", input, "-o", output, within: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let names = try Self.slices(try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(names.count == 12_000)
        #expect(Set(names) == ["t7"])
    }

    @Test func dashOWritesToStdout() throws {
        let scratch = try Scratch()
        let input = try scratch.file("run.rec", Self.recording().bytes)
        let r = try runviz("export", input, "-o", "-")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.slices(Data(r.stdout.utf8)).contains("t42 echo \"conn\""))
    }

    @Test func aTruncatedRecordingExportsWhatCameBefore() throws {
        let scratch = try Scratch()
        let (bytes, lastBlock) = Self.recording()
        let input = try scratch.file("cut.rec", Array(bytes[..<(bytes.count - 3)]))
        let output = scratch.path("trace.json")
        let r = try runviz("export", input, "-o", output)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines == ["recording ends mid-block after \(lastBlock) bytes; exported what came before"])
        // The task was queued but never ran before the cut: only the wake's marker.
        #expect(try Self.slices(Data(contentsOf: URL(fileURLWithPath: output))) == ["wake"])
    }

    @Test func badInputsAreOneLineAndExit1() throws {
        let scratch = try Scratch()
        var (bytes, lastBlock) = Self.recording()
        let text = try scratch.file("notes.txt", Array("hello\n".utf8))
        var newer = bytes
        newer[RecordingFormat.magic.count] = 9
        let newerPath = try scratch.file("newer.rec", newer)
        bytes[lastBlock + 6] ^= 0xFF
        let corrupt = try scratch.file("corrupt.rec", bytes)
        let good = try scratch.file("good.rec", Self.recording().bytes)
        let missing = scratch.path("missing.rec")
        let cases: [([String], String)] = [
            ([missing, "-o", "-"], "Error: cannot open \(missing): No such file or directory"),
            ([text, "-o", scratch.path("t.json")], "Error: \(text): not a runviz recording"),
            (
                [newerPath, "-o", "-"],
                "Error: \(newerPath): recorded by a newer runviz (format 9; this one reads \(RecordingFormat.version))"
            ),
            (
                [corrupt, "-o", scratch.path("c.json")],
                "Error: \(corrupt): corrupt at byte \(lastBlock): checksum mismatch"
            ),
            (
                [good, "-o", scratch.path("no/such/dir.json")],
                "Error: cannot write \(scratch.path("no/such/dir.json")): No such file or directory"
            ),
            ([good, "-o", good], "Error: \(good) is the recording itself; write the trace elsewhere"),
        ]
        for (arguments, message) in cases {
            let r = try Runviz(["export"] + arguments).finish(within: 5)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderrLines == [message], "\(r.stderr)")
        }
        // A file that is no recording never creates the output; a corrupt one leaves closed JSON of
        // what came before the damage.
        #expect(!FileManager.default.fileExists(atPath: scratch.path("t.json")))
        #expect(try Self.slices(Data(contentsOf: URL(fileURLWithPath: scratch.path("c.json")))) == ["wake"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: good)) == Data(Self.recording().bytes))
    }

    @Test func noOutputIsAUsageError() throws {
        try expectUsageError(["export", "x.rec"], "Error: Missing expected argument '--output <out>'")
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        try expectUsageError(
            ["export", "x.rec", "--format", "svg", "-o", "-"], "Error: --format must be perfetto (got \"svg\")")
    }
}
