// The worker timeline of a live session: after `b` on a one-worker runtime, the history shows W0
// BLOCKED for the demo's 2 s sleep (within one column), held by the "blocker" task.

import Glibc
import RunvizObservation
import RunvizRuntime
import RunvizSession
import Testing

@Suite struct SessionTimelineTests {
    @Test func theBlockSitsOnItsWorkerForItsLength() throws {
        var configuration = SessionTests.configuration(workers: 1)
        configuration.history = ObservationHistory.Limits(seconds: 10)
        let session = try Session(configuration)
        defer { session.stop() }
        let start = Runtime.now
        _ = session.frame(now: start)
        session.apply(.blockWorker)
        // Frames every 20 ms for 2.5 s: the block (2 s) and what follows it.
        let end = start + 2_500_000_000
        while Runtime.now < end {
            _ = session.frame(now: Runtime.now)
            usleep(20_000)
        }
        let last = Runtime.now
        _ = session.frame(now: last)
        let columns = 125
        let timeline = try #require(session.workerTimeline(from: start, to: start + 2_500_000_000, columns: columns))
        #expect(timeline.nanosPerColumn == 20_000_000)
        #expect(timeline.rows.first?.thread == .worker(0))
        let cells = try #require(timeline.rows.first?.cells)
        let blocked = cells.indices.filter { cells[$0].state == .blocked }
        // One stretch, the demo's 2 s: 100 columns of 20 ms, give or take the column each end falls in.
        #expect((99...101).contains(blocked.count), "\(blocked.count) blocked columns")
        if let first = blocked.first, let lastBlocked = blocked.last {
            #expect(lastBlocked - first + 1 == blocked.count, "one unbroken stretch")
        }
        let task = try #require(blocked.first.map { cells[$0].task })
        #expect(timeline.tasks.first { $0.task.raw == task }?.name == "blocker")
        let selection = try #require(blocked.first.flatMap { timeline.selection(row: 0, column: $0) })
        let ran = try #require(selection.duration(until: timeline.to))
        #expect(ran >= 2_000_000_000 && ran < 2_100_000_000, "the job ran \(ran) ns")
        #expect(selection.cell.stretch?.cause?.description == "spawn")
    }
}
