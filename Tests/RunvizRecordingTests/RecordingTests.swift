// Facts about recordings end to end: a live session recorded to a file and read back rebuilds
// every frame the session drew; a file cut off mid-write replays up to its last complete block
// and says so; a file that is missing, empty, not a recording or written by a newer format is one
// clear error; a disk that fails is counted and shown, never silent; and a replay keeps the
// recorded pace and declines commands that need a runtime.

import Foundation
import RunvizObservation
import RunvizRecording
import RunvizRuntime
import RunvizSession
import RunvizTelemetry
import RunvizTestSupport
import Testing

@Suite struct RecordingTests {
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "runviz-\(getpid())-\(name)-\(UInt64.random(in: 0...UInt64.max)).rec"
    }

    final class Capture: ObservationSink {
        let inner: RecordingWriter
        var observations: [Observation] = []
        init(_ inner: RecordingWriter) { self.inner = inner }
        func record(_ observation: Observation) {
            observations.append(observation)
            inner.record(observation)
        }
        var recordingStatus: RecordingStatus? { inner.status }
    }

    /// A short live session with a few demo tasks, recorded to `path`; its frames and observations.
    static func recordSession(to path: String) throws -> ([DashboardSnapshot], [Observation], RecordingStatus) {
        let session = try Session(
            SessionConfiguration(
                runtime: RuntimeConfiguration(workers: 2), address: SocketAddress(host: "127.0.0.1", port: 0)))
        defer { session.stop() }
        let writer = try RecordingWriter(path: path, setup: session.observer.setup)
        let capture = Capture(writer)
        session.sinks = [capture]
        session.apply(.spawnTasks(count: 3))
        session.apply(.joinDemo)
        var frames: [DashboardSnapshot] = []
        let until = Runtime.now + 800_000_000
        while Runtime.now < until {
            session.update(now: Runtime.now)
            frames.append(session.frame(now: Runtime.now))
            usleep(20_000)
        }
        session.sinks = []
        return (frames, capture.observations, writer.close())
    }

    static func items(_ file: RecordingFile) throws -> [RecordingItem] {
        var items: [RecordingItem] = []
        while let item = try file.next() { items.append(item) }
        return items
    }

    @Test func aRecordedSessionReadBackRebuildsEveryFrame() throws {
        let path = Self.temporaryPath("session")
        defer { unlink(path) }
        let (frames, observations, status) = try Self.recordSession(to: path)
        #expect(status.failure == nil)
        #expect(status.droppedObservations == 0)
        #expect(status.observations == UInt64(observations.count))
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64
        #expect(size == status.bytes)

        let file = try RecordingFile(path: path)
        let items = try Self.items(file)
        #expect(items == observations.map { .observation($0) })
        #expect(file.truncated == 0)
        var observer = Observer(setup: file.setup)
        var rebuilt: [DashboardSnapshot] = []
        for case .observation(let o) in items { if let f = observer.take(o) { rebuilt.append(f) } }
        #expect(rebuilt.count == frames.count)
        // The live frames also carry the recording's status; the rest is equal field for field.
        for (i, (live, again)) in zip(frames, rebuilt).enumerated() {
            var live = live
            live.recording = nil
            if live != again {
                Issue.record("frame \(i) differs when rebuilt from the file")
                break
            }
        }
    }

    @Test func aFileCutOffMidBlockReplaysUpToItsLastCompleteBlockAndSaysSo() throws {
        let path = Self.temporaryPath("cut")
        defer { unlink(path) }
        let (_, observations, status) = try Self.recordSession(to: path)
        let cut = Int(status.bytes) - 7
        #expect(truncate(path, off_t(cut)) == 0)
        let file = try RecordingFile(path: path)
        let items = try Self.items(file)
        #expect(items == observations.dropLast().map { .observation($0) })
        #expect(file.truncated > 0)

        let replay = ReplaySource(file: try RecordingFile(path: path))
        _ = replay.frame(now: 1_000)
        let frame = replay.frame(now: 3_600_000_000_000)
        #expect(replay.ended)
        #expect(frame.replay?.problem?.hasPrefix("the recording ends mid-block (") == true)
    }

    @Test func badFilesAreOneClearError() throws {
        let missing = Self.temporaryPath("missing")
        #expect(throws: RecordingFileError.self) { try RecordingFile(path: missing) }
        do { _ = try RecordingFile(path: missing) } catch {
            #expect("\(error)" == "cannot open \(missing): No such file or directory")
        }
        let empty = Self.temporaryPath("empty")
        FileManager.default.createFile(atPath: empty, contents: Data())
        defer { unlink(empty) }
        do { _ = try RecordingFile(path: empty) } catch {
            #expect("\(error)" == "\(empty): the recording ends before its header is complete")
        }
        let text = Self.temporaryPath("text")
        FileManager.default.createFile(atPath: text, contents: Data("hello, this is no recording\n".utf8))
        defer { unlink(text) }
        do { _ = try RecordingFile(path: text) } catch {
            #expect("\(error)" == "\(text): not a runviz recording")
        }
        let newer = Self.temporaryPath("newer")
        FileManager.default.createFile(atPath: newer, contents: Data(RecordingFormat.magic + [9, 0] + [0, 0, 0, 0]))
        defer { unlink(newer) }
        do { _ = try RecordingFile(path: newer) } catch {
            #expect(
                "\(error)"
                    == "\(newer): recorded by a newer runviz (format 9; this one reads \(RecordingFormat.version))")
        }
        #expect(throws: RecordingWriterError.self) {
            try RecordingWriter(path: "/nonexistent-dir/x.rec", setup: RecordingTests.setup)
        }
        do { _ = try RecordingWriter(path: "/nonexistent-dir/x.rec", setup: Self.setup) } catch {
            #expect("\(error)" == "cannot record to /nonexistent-dir/x.rec: No such file or directory")
        }
    }

    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 1, maxBlockingThreads: 2, blockedThresholdNanos: 10_000_000, instrumentation: true),
        startedAt: 1_000, echoAddress: "127.0.0.1:1", eventCostNanos: 20)

    @Test func aFailingDiskIsCountedAndShownNeverSilent() throws {
        // /dev/full takes the header's open but fails every write with ENOSPC.
        let writer = try? RecordingWriter(path: "/dev/full", setup: Self.setup)
        #expect(writer == nil, "the header's write already fails on a full disk")
        do { _ = try RecordingWriter(path: "/dev/full", setup: Self.setup) } catch {
            #expect("\(error)" == "cannot record to /dev/full: No space left on device")
        }
    }

    @Test func aReplayKeepsTheRecordedPaceAndDeclinesRuntimeCommands() throws {
        let path = Self.temporaryPath("pace")
        defer { unlink(path) }
        let writer = try RecordingWriter(path: path, setup: Self.setup)
        for i in 1...20 {
            var counters = CounterReading.idle(workers: 1)
            counters.workers[0].runs = UInt64(i)
            writer.record(
                Observation(
                    turn: .frame, now: Self.setup.startedAt + UInt64(i) * 100_000_000, counters: counters,
                    echo: EchoReading(echoes: UInt64(i))))
        }
        #expect(writer.close().observations == 20)
        let replay = ReplaySource(file: try RecordingFile(path: path))
        let wall: UInt64 = 5_000_000_000
        let first = replay.frame(now: wall)
        #expect(first.runtime.workers[0].runs == 1, "the first frame at the first call")
        let later = replay.frame(now: wall + 450_000_000)
        #expect(later.runtime.workers[0].runs == 5, "0.45 s later: the frames recorded in 0.45 s")
        #expect(!replay.ended)
        replay.apply(.spawnTasks(count: 1))
        let declined = replay.frame(now: wall + 500_000_000)
        #expect(declined.demos.lastAction == "a recording cannot act on a runtime: this key does nothing in a replay")
        let end = replay.frame(now: wall + 10_000_000_000)
        #expect(end.runtime.workers[0].runs == 20)
        #expect(replay.ended && end.replay?.ended == true && end.replay?.problem == nil)
        #expect(replay.frame(at: Self.setup.startedAt + 300_000_000)?.runtime.workers[0].runs == 3)
    }

    @Test func aRecordingOfUpdateTurnsOnlyStillReplaysFrames() throws {
        // What `serve --record` writes: no view, so no frame turn.
        let path = Self.temporaryPath("updates")
        defer { unlink(path) }
        let writer = try RecordingWriter(path: path, setup: Self.setup)
        for i in 1...10 {
            var counters = CounterReading.idle(workers: 1)
            counters.workers[0].runs = UInt64(i * 10)
            writer.record(
                Observation(turn: .update, now: Self.setup.startedAt + UInt64(i) * 100_000_000, counters: counters))
        }
        writer.close()
        let replay = ReplaySource(file: try RecordingFile(path: path))
        #expect(replay.frame(now: 0).runtime.workers[0].runs == 10)
        #expect(replay.frame(now: 250_000_000).runtime.workers[0].runs == 30)
        #expect(replay.frame(at: Self.setup.startedAt + 200_000_000)?.runtime.workers[0].runs == 20)
    }

    @Test func aWriterDroppedWithoutCloseStillWritesEverything() throws {
        let path = Self.temporaryPath("dropped")
        defer { unlink(path) }
        do {
            let writer = try RecordingWriter(path: path, setup: Self.setup)
            for i in 1...3 {
                writer.record(
                    Observation(turn: .update, now: Self.setup.startedAt + UInt64(i), counters: .idle(workers: 1)))
            }
        }
        let items = try Self.items(try RecordingFile(path: path))
        #expect(items.count == 3)
    }
}
