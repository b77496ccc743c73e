// EchoPanel: server address and mode, connections by tasks and threads, rates, readiness → reply
// latency and what waits for a reply (a stall reads as none answered and a growing wait), process
// memory.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct EchoPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.echo) == [
                "─ Echo server 127.0.0.1:7000 · tasks: one per connection " + String(repeating: "─", count: 6),
                "conns 120 open (tasks 118, threads 2) · total 5,000 · errors 0",
                "12.3k round trips/s · 1.5 MiB/s · CPU 45% · clients 100",
                "fd ready → reply p50 35 µs · p99 120 µs · max 1.2 ms",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "per conn: measured once 50 more connect (c, runviz load)",
            ])
    }

    @Test func perConnectionCostsAreShownOnceMeasured() {
        var snapshot = Fixtures.snapshot
        snapshot.process.perTaskConnection = ConnectionCost(residentBytes: 2_560, virtualBytes: 700, connections: 500)
        #expect(Rendered(snapshot).panel(\.echo)[5] == "per conn: task ≈ 2.5 KiB")
        snapshot.process.perThreadConnection = ConnectionCost(
            residentBytes: 17_920, virtualBytes: 8_912_896, connections: 300)
        #expect(Rendered(snapshot).panel(\.echo)[5] == "per conn: task ≈ 2.5 KiB · thread ≈ 17.5 KiB + 8.5 MiB virtual")
    }

    @Test func compactRows() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.echo) == [
                "echo tasks · conns 120 (tasks 118, threads 2) · 12.3k rt/s · reply p99 120 µs",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB · CPU 45% · clients 10",
            ])
    }

    @Test func threadModeAndErrors() {
        var snapshot = Fixtures.snapshot
        snapshot.echo.mode = .threads
        snapshot.echo.connectionErrors = 3
        let rendered = Rendered(snapshot)
        let rows = rendered.panel(\.echo)
        #expect(rows[0] == "─ Echo server 127.0.0.1:7000 · threads: one per connection ────")
        #expect(rows[1] == "conns 120 open (tasks 118, threads 2) · total 5,000 · errors 3")
        let rect = rendered.layout!.echo
        #expect(rendered.screen[rect.x + rows[1].count - 1, rect.y + 1].style == .warning)
    }

    @Test func aStallReadsAsNoReplyAndAGrowingWait() {
        var snapshot = Fixtures.snapshot
        snapshot.echo.roundTripsPerSecond = 0
        snapshot.echo.bytesPerSecond = 0
        snapshot.runtime.replies = ReplyLatency(replies: 0, awaiting: 500, oldestAwaitingNanos: 1_400_000_000)
        let rows = Rendered(snapshot).panel(\.echo)
        #expect(rows[2] == "0 round trips/s · 0 B/s · CPU 45% · clients 100")
        #expect(rows[3] == "fd ready → reply: none in 1 s · 500 waiting, oldest 1.4 s")
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
        #expect(Rendered(snapshot).panel(\.echo)[3] == "fd ready → reply p99 197 µs · 500 waiting, oldest 1.7 s")
    }
}
