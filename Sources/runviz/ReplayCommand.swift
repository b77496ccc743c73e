// `runviz replay FILE`: the dashboard over a recording made with `--record`, with no runtime and
// no sockets: panels, rewind, task detail and step mode as when it was recorded, at the pace it
// was recorded. The whole file is read once first, so a file that is missing, not a recording,
// written by a newer runviz or corrupt is one line and exit 1 before the terminal is touched; a
// file cut off mid-write (kill -9, a full disk) replays up to its last complete block and says so.

import ArgumentParser
import CRunvizLinux
import RunvizObservation
import RunvizRecording
import RunvizTUI

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Open the dashboard over a recording made with --record.")

    @Argument(help: "The recording (written by `runviz launch --record FILE` or `runviz serve --record FILE`).")
    var file: String

    @OptionGroup var dashboard: DashboardOptions

    @Option(name: .customLong("history-mb"), help: "Most memory the rewind history may hold, in MiB.")
    var historyMB: Int = 256

    @Flag(name: .long, help: "No dashboard: print what the recording holds and how fast any instant in it is rebuilt.")
    var info = false

    func validate() throws {
        guard (1...16384).contains(historyMB) else {
            throw ValidationError("--history-mb must be between 1 and 16384 (got \(historyMB))")
        }
    }

    func run() throws {
        let scan: RecordingScan
        do { scan = try RecordingScan.of(path: file) } catch { throw Failure(error.description) }
        guard scan.observations > 0 else { throw Failure("\(file): the recording holds no observation to show") }
        if info {
            try printInfo(scan)
            return
        }
        try dashboard.checkTerminal()
        runviz_install_stop_signals()
        let source: ReplaySource
        do {
            // The whole recording fits the history unless it is over the memory limit.
            let seconds = max(60, scan.seconds + 1)
            source = ReplaySource(
                file: try RecordingFile(path: file),
                history: ObservationHistory.Limits(seconds: seconds, bytes: historyMB << 20))
        } catch { throw Failure(error.description) }
        try dashboard.draw(source, clock: { runviz_now_ns() }, log: "replay")
        if scan.truncated > 0 {
            StandardError.write(
                "runviz replay: \(file) ends mid-block (\(scan.truncated) bytes cut off); replayed what came before\n")
        }
    }

    /// `--info`: the recording's contents, then the whole of it loaded into a history as a replay
    /// would, and the frames of 50 instants spread over it rebuilt, timed.
    func printInfo(_ scan: RecordingScan) throws {
        let perMinute = scan.seconds > 0 ? Double(scan.bytes) / scan.seconds * 60 / 1_048_576 : 0
        print(
            "\(file): \(scan.observations) observations (\(scan.frames) frames), \(scan.events) events, \(String(cFormat: "%.1f", scan.seconds)) s"
        )
        print(
            "bytes: \(scan.bytes) (\(String(cFormat: "%.1f", Double(scan.bytes) / 1_048_576)) MiB, \(String(cFormat: "%.1f", perMinute)) MiB per minute, "
                + "\(scan.events > 0 ? String(cFormat: "%.1f", Double(scan.bytes) / Double(scan.events)) : "-") bytes per event)"
        )
        print(
            "dropped by the recorder: \(scan.droppedObservations) observations in \(scan.gaps) gaps; cut off at the end: \(scan.truncated) bytes"
        )
        let reader: RecordingFile
        do { reader = try RecordingFile(path: file) } catch { throw Failure(error.description) }
        var history = ObservationHistory(
            limits: ObservationHistory.Limits(seconds: scan.seconds + 1, bytes: historyMB << 20))
        var observer = Observer(setup: reader.setup)
        let heapBefore = runviz_heap_in_use()
        let loadStart = runviz_now_ns()
        while let item = try? reader.next() {
            guard case .observation(let o) = item else { continue }
            history.record(o, before: observer)
            observer.take(o)
        }
        let loadNanos = runviz_now_ns() - loadStart
        let grown = Double(Int64(bitPattern: runviz_heap_in_use() &- heapBefore)) / 1_048_576
        let models = Double(ObservationHistory.modelBytes(observer)) / 1_048_576
        guard let span = history.span else { throw Failure("\(file): nothing to rebuild") }
        var seeks: [UInt64] = []
        for i in 0..<50 {
            let instant = span.oldest + (span.newest - span.oldest) / 50 * UInt64(i)
            let started = runviz_now_ns()
            _ = history.frame(at: instant)
            seeks.append(runviz_now_ns() - started)
        }
        seeks.sort()
        func ms(_ n: UInt64) -> String { String(cFormat: "%.2f ms", Double(n) / 1e6) }
        func seek(_ percentile: Double) -> String { ms(NearestRank.value(percentile, ofSorted: seeks) ?? 0) }
        print(
            "history: \(String(cFormat: "%.1f", span.seconds)) s held in \(String(cFormat: "%.1f", Double(span.bytes) / 1_048_576)) MiB "
                + "(\(String(cFormat: "%.2f", Double(span.bytes) / max(span.seconds, 0.001) / 1_048_576)) MiB per second), loaded in \(ms(loadNanos))"
        )
        print(
            "memory: the heap in use grew \(String(cFormat: "%.1f", grown)) MiB while loading: the history (its estimate above) "
                + "and the live models (estimated \(String(cFormat: "%.1f", models)) MiB); \(history.keyframeCount) keyframe\(history.keyframeCount == 1 ? "" : "s") held"
        )
        print(
            "seek (rebuild the frame of an instant, 50 spread over the window): p50 \(seek(50)) · "
                + "p90 \(seek(90)) · max \(seek(100))")
    }
}
