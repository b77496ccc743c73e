// A recording's worker timeline: played back, a session that pressed `b` on one worker shows W0
// BLOCKED for the demo's 2 s, as the live session did.

import Foundation
import RunvizRecording
import RunvizRuntime
import RunvizSession
import Testing

@Suite struct ReplayTimelineTests {
    @Test func aReplayShowsTheRecordedBlockOnItsWorker() throws {
        let path = RecordingTests.temporaryPath("timeline")
        defer { unlink(path) }
        let session = try Session(
            SessionConfiguration(
                runtime: RuntimeConfiguration(workers: 1), address: SocketAddress(host: "127.0.0.1", port: 0)))
        defer { session.stop() }
        let writer = try RecordingWriter(path: path, setup: session.observer.setup)
        session.sinks = [writer]
        let start = Runtime.now
        _ = session.frame(now: start)
        session.apply(.blockWorker)
        while Runtime.now < start + 2_500_000_000 {
            _ = session.frame(now: Runtime.now)
            usleep(20_000)
        }
        _ = session.frame(now: Runtime.now)
        session.sinks = []
        _ = writer.close()

        let replay = ReplaySource(file: try RecordingFile(path: path))
        _ = replay.frame(now: 1_000)
        _ = replay.frame(now: 3_600_000_000_000)
        #expect(replay.ended)
        let timeline = try #require(replay.workerTimeline(from: start, to: start + 2_500_000_000, columns: 125))
        let cells = try #require(timeline.rows.first?.cells)
        let blocked = cells.filter { $0.state == .blocked }.count
        // 2 s is 100 columns of 20 ms (±1 where its ends fall). A sleep may oversleep on a loaded
        // machine, so a few more are allowed; a block cut short, or smeared over the whole 2.5 s
        // shown (125 columns), fails.
        #expect((99...110).contains(blocked), "\(blocked) blocked columns of 20 ms")
    }
}
