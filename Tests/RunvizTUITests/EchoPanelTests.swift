// EchoPanel: server address and mode, connections by tasks and threads, rates, readiness → reply
// latency and what waits for a reply (a stall reads as none answered and a growing wait), process
// memory; when latency moved, its parts and the job the tasks waited behind, in the process
// figures' place (figures from a one-worker session blocked by `b`).

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct EchoPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.echo) == [
                "─ Echo server 127.0.0.1:7000 · tasks: one per connection " + String(repeating: "─", count: 6),
                "conns 120 open (tasks 118, threads 2) · errors 0 · total 5,000",
                "12.3k round trips/s · 1.5 MiB/s · CPU 45% · c/C clients 100",
                "server: fd ready → reply p50 35 µs · p99 120 µs · max 1.2 ms",
                "not timed here: the kernel's TCP path and the client's own wait",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
                "",
            ])
    }

    @Test func perConnectionCostsSideBySideAndHowToMeasureTheMissingOne() {
        var snapshot = Fixtures.snapshot
        snapshot.process.perTaskConnection = ConnectionCost(residentBytes: 5_427, virtualBytes: 700, connections: 200)
        #expect(Rendered(snapshot).panel(\.echo)[6] == "per conn: task 5.3 KiB · thread: press t, add 100+ at once")
        snapshot.echo.mode = .threads
        #expect(Rendered(snapshot).panel(\.echo)[6] == "per conn: task 5.3 KiB · thread: add 100+ at once")
        snapshot.process.perThreadConnection = ConnectionCost(
            residentBytes: 19_763, virtualBytes: 12_058_624, connections: 200)
        #expect(Rendered(snapshot).panel(\.echo)[6] == "per conn: task 5.3 KiB · thread 19.3 KiB + 11.5 MiB virtual")
        snapshot.process.perTaskConnection = nil
        #expect(Rendered(snapshot).panel(\.echo)[6] == "per conn: task: t, 100+ · thread 19.3 KiB + 11.5 MiB virtual")
        snapshot.echo.mode = .tasks
        #expect(Rendered(snapshot).panel(\.echo)[6] == "per conn: task: add 100+ · thread 19.3 KiB + 11.5 MiB virtual")
    }

    /// At 80×24 the measured cost of a connection is on screen too (concept 1), in the process
    /// figures' place.
    @Test func compactRowsShowTheMeasuredCost() {
        var snapshot = Fixtures.snapshot
        snapshot.process.perTaskConnection = ConnectionCost(residentBytes: 4_300, virtualBytes: 0, connections: 200)
        snapshot.process.perThreadConnection = ConnectionCost(
            residentBytes: 16_800, virtualBytes: 12_373_000, connections: 150)
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.echo)[1]
                == "per conn: task 4.2 KiB · thread 16.4 KiB + 11.8 MiB virtual · threads 14")
    }

    @Test func compactRows() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.echo) == [
                "echo tasks · 120 conns (2 threads) · 12.3k rt/s · server p99 120 µs",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB · CPU 45%",
            ])
    }

    @Test func threadModeAndErrors() {
        var snapshot = Fixtures.snapshot
        snapshot.echo.mode = .threads
        snapshot.echo.connectionErrors = 3
        let rendered = Rendered(snapshot)
        let rows = rendered.panel(\.echo)
        #expect(rows[0] == "─ Echo server 127.0.0.1:7000 · threads: one per connection ────")
        #expect(rows[1] == "conns 120 open (tasks 118, threads 2) · errors 3 · total 5,000")
        let rect = rendered.layout!.echo
        #expect(rendered.screen[rect.x + rows[1].count - 15, rect.y + 1].style == .warning)
    }

    @Test func aStallReadsAsNoReplyAndAGrowingWait() {
        var snapshot = Fixtures.snapshot
        snapshot.echo.roundTripsPerSecond = 0
        snapshot.echo.bytesPerSecond = 0
        snapshot.runtime.replies = ReplyLatency(replies: 0, awaiting: 500, oldestAwaitingNanos: 1_400_000_000)
        let rows = Rendered(snapshot).panel(\.echo)
        #expect(rows[2] == "0 round trips/s · 0 B/s · CPU 45% · c/C clients 100")
        #expect(rows[3] == "server: stalled, no reply in 1 s · 500 waiting, oldest 1.4 s")
    }

    @Test func aWaitUnderAMillisecondIsNotShownAndBackoffsOnlyWhenThereAreAny() {
        var snapshot = Fixtures.snapshot
        #expect(!Rendered(snapshot).panel(\.echo)[3].contains("waiting"), "40 µs is one reply being written")
        snapshot.echo.acceptBackoffs = 3
        #expect(Rendered(snapshot).panel(\.echo)[2] == "12.3k round trips/s · 1.5 MiB/s · CPU 45% · accept backoffs 3")
    }

    @Test func whileRepliesWaitTheLineKeepsTheWaitAndDropsTheMedian() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(
            replies: 900, p50Nanos: 11_000, p99Nanos: 197_000, maxNanos: 300_000, awaiting: 500,
            oldestAwaitingNanos: 1_700_000_000)
        #expect(
            Rendered(snapshot).panel(\.echo)[3] == "server: fd ready → reply p99 197 µs · 500 waiting, oldest 1.7 s")
    }

    /// The only worker blocked by `b` 1.2 s ago: one connection's wakeup waits in the inject queue.
    static func duringTheBlock() -> DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(replies: 0, awaiting: 1, oldestAwaitingNanos: 1_200_000_000)
        snapshot.runtime.latency = LatencyBreakdownSnapshot(blame: [
            LatencyBlame(
                queue: .inject, wakeups: 1, worstWaitNanos: 1_200_000_000, blocker: TaskID(536), blockerName: "blocker",
                worker: 0, blockedNanos: 1_210_000_000, ongoing: true)
        ])
        return snapshot
    }

    /// The second after the block: the reply that waited carries it, in its queue wait.
    static func afterTheBlock() -> DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(
            replies: 1, p50Nanos: 1_989_812_903, p99Nanos: 1_989_812_903, maxNanos: 1_989_812_903)
        snapshot.runtime.latency = LatencyBreakdownSnapshot(
            replies: 1, readyToWake: .init(p50Nanos: 32_038, p99Nanos: 32_038),
            queueWait: .init(p50Nanos: 1_989_654_517, p99Nanos: 1_989_654_517),
            run: .init(p50Nanos: 126_348, p99Nanos: 126_348),
            whole: .init(p50Nanos: 1_989_812_903, p99Nanos: 1_989_812_903),
            blame: [
                LatencyBlame(
                    queue: .inject, wakeups: 1, worstWaitNanos: 1_989_654_517, blocker: TaskID(536),
                    blockerName: "blocker", worker: 0, blockedNanos: 2_000_435_887, ongoing: false)
            ])
        return snapshot
    }

    @Test func duringABlockTheWaitingWakeupNamesTheBlocker() {
        let rows = Rendered(Self.duringTheBlock()).panel(\.echo)
        #expect(
            Array(rows[3...]) == [
                "server: stalled, no reply in 1 s · 1 waiting, oldest 1.2 s",
                "1 task waiting 1.2 s behind t536 blocker on W0 (inject queue)",
                "not timed here: the kernel's TCP path and the client's own wait",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
            ])
        #expect(
            Rendered(Self.duringTheBlock(), width: 80, height: 24).panel(\.echo) == [
                "echo tasks · 120 conns (2 threads) · 12.3k rt/s · server stalled · 1 waiting",
                "1 task waiting 1.2 s behind t536 blocker on W0 (inject queue)",
            ])
    }

    @Test func afterABlockTheSplitShowsTheQueueWaitAndTheBlame() {
        let rendered = Rendered(Self.afterTheBlock())
        let rows = rendered.panel(\.echo)
        #expect(
            Array(rows[3...]) == [
                "server: fd ready → reply p50 2.0 s · p99 2.0 s · max 2.0 s",
                "p99 split: ready→wake 32 µs · queue wait 2.0 s · run 126 µs",
                "1 task waited 2.0 s behind t536 blocker on W0 (inject queue)",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
            ])
        let rect = rendered.layout!.echo
        let queue = "p99 split: ready→wake 32 µs · ".count
        #expect(rendered.screen[rect.x + queue, rect.y + 4].style == .warning, "the part that moved")
        #expect(rendered.screen[rect.x + 12, rect.y + 4].style == .normal)
        #expect(
            Rendered(Self.afterTheBlock(), width: 80, height: 24).panel(\.echo) == [
                "echo tasks · 120 conns (2 threads) · 12.3k rt/s · server p99 2.0 s",
                "1 task waited 2.0 s behind t536 blocker on W0 (inject queue)",
            ])
    }

    @Test func wakeupsOnAWorkersOwnQueueNameThatWorker() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(
            replies: 900, p50Nanos: 40_000, p99Nanos: 4_900_000, maxNanos: 5_000_000)
        snapshot.runtime.latency = LatencyBreakdownSnapshot(
            replies: 900, readyToWake: .init(p50Nanos: 10_000, p99Nanos: 40_000),
            queueWait: .init(p50Nanos: 12_000, p99Nanos: 4_900_000), run: .init(p50Nanos: 20_000, p99Nanos: 30_000),
            whole: .init(p50Nanos: 40_000, p99Nanos: 4_900_000),
            blame: [
                LatencyBlame(
                    queue: .worker(0), wakeups: 38, worstWaitNanos: 4_900_000, blocker: TaskID(23),
                    blockerName: "demo-blocker", worker: 0, blockedNanos: 2_000_000_000, ongoing: false)
            ])
        #expect(
            Array(Rendered(snapshot).panel(\.echo)[4...]) == [
                "p99 split: ready→wake 40 µs · queue wait 4.9 ms · run 30 µs",
                "38 tasks waited 4.9 ms behind t23 demo-blocker on W0",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
            ])
    }

    @Test func aQuickSecondShowsNoSplitAndAnUnnamedBlockerItsIDOnce() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.latency = LatencyBreakdownSnapshot(
            replies: 900, readyToWake: .init(p50Nanos: 10_000, p99Nanos: 40_000),
            queueWait: .init(p50Nanos: 12_000, p99Nanos: 50_000), run: .init(p50Nanos: 20_000, p99Nanos: 30_000))
        #expect(
            Rendered(snapshot).panel(\.echo)[4...5] == [
                "not timed here: the kernel's TCP path and the client's own wait",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
            ])
        snapshot.runtime.latency.blame = [
            LatencyBlame(
                queue: .worker(1), wakeups: 3, worstWaitNanos: 15_000_000, blocker: TaskID(9), blockerName: "t9",
                worker: 1, blockedNanos: 20_000_000, ongoing: true)
        ]
        #expect(
            Array(Rendered(snapshot).panel(\.echo)[4...]) == [
                "p99 split: ready→wake 40 µs · queue wait 50 µs · run 30 µs",
                "3 tasks waiting 15 ms behind t9 on W1",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
            ])
    }

    @Test func aSlowSecondWithNoBlameShowsTheSplitAlone() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(
            replies: 900, p50Nanos: 40_000, p99Nanos: 3_000_000, maxNanos: 3_100_000)
        snapshot.runtime.latency = LatencyBreakdownSnapshot(
            replies: 900, readyToWake: .init(p50Nanos: 10_000, p99Nanos: 40_000),
            queueWait: .init(p50Nanos: 12_000, p99Nanos: 90_000), run: .init(p50Nanos: 20_000, p99Nanos: 2_900_000))
        #expect(
            Array(Rendered(snapshot).panel(\.echo)[4...]) == [
                "p99 split: ready→wake 40 µs · queue wait 90 µs · run 2.9 ms",
                "not timed here: the kernel's TCP path and the client's own wait",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: add 100+ clients at once to measure (runviz load)",
            ])
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.echo)[1]
                == "p99 split: ready→wake 40 µs · queue wait 90 µs · run 2.9 ms")
    }

    @Test func aProgramWithNoEchoServerShowsItsProcessAndReplies() {
        var snapshot = Fixtures.snapshot
        snapshot.echo = EchoSnapshot()
        #expect(
            Rendered(snapshot).panel(\.echo) == [
                "─ Program not the echo server " + String(repeating: "─", count: 33),
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "CPU 45% · a reply: a write after a read wakeup on its fd",
                "server: fd ready → reply p50 35 µs · p99 120 µs · max 1.2 ms",
                "", "", "", "",
            ])
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.echo) == [
                "program server p99 120 µs",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
            ])
    }

    /// At 120 columns, 1,220 connections and a stall behind one blocker: each row fits, whole words
    /// left out rather than cut (errors before the total; the queue's name only when it fits).
    @Test func largeFiguresFitTheirRows() {
        var snapshot = Self.duringTheBlock()
        snapshot.echo.openConnections = 1_220
        snapshot.echo.taskConnections = 1_220
        snapshot.echo.threadConnections = 0
        snapshot.echo.totalConnections = 1_222
        snapshot.runtime.latency.blame[0].wakeups = 220
        let rows = Rendered(snapshot).panel(\.echo)
        #expect(rows[1] == "conns 1,220 open (tasks 1,220, threads 0) · errors 0")
        #expect(rows[4] == "220 tasks waiting 1.2 s behind t536 blocker on W0")
        let compact = Rendered(snapshot, width: 80, height: 24).panel(\.echo)
        #expect(compact[0] == "echo tasks · 1,220 conns · 12.3k rt/s · server stalled · 1 waiting")
    }

    /// A wait too long for the row with the whole label keeps its oldest wait; the label gives way.
    @Test func aLongWaitKeepsItsOldestAndTheLabelGivesWay() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.replies = ReplyLatency(
            replies: 900, p50Nanos: 11_000, p99Nanos: 1_400_000, maxNanos: 1_500_000, awaiting: 220,
            oldestAwaitingNanos: 296_000_000)
        #expect(Rendered(snapshot).panel(\.echo)[3] == "server: reply p99 1.4 ms · 220 waiting, oldest 296 ms")
    }

    /// What the reply time covers is said beside it: the server's part, from readiness to the write.
    @Test func theReplyTimeSaysItIsTheServersPart() {
        let rows = Rendered().panel(\.echo)
        #expect(rows[3].hasPrefix("server: fd ready → reply "))
        #expect(rows[4] == "not timed here: the kernel's TCP path and the client's own wait")
        var idle = Fixtures.snapshot
        idle.runtime.replies = ReplyLatency()
        #expect(Rendered(idle).panel(\.echo)[3] == "server: fd ready → reply: none in the last whole second")
    }
}
