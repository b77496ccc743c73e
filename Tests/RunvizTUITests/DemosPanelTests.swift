// DemosPanel: join, lock and channel results, the last-started demo first.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct DemosPanelTests {
    @Test func joinResult() {
        #expect(
            Rendered().panel(\.demos) == [
                "join sleeps 200 ms and 100 ms: concurrent 201 ms (≈ max) · sequential 302 ms (≈ sum)"
            ])
    }

    @Test func allThreeDemosLastStartedFirst() {
        var snapshot = Fixtures.snapshot
        snapshot.demos.join = .init(firstMillis: 200, secondMillis: 100)
        snapshot.demos.lock = .init(
            blocking: false, tasks: 10, finished: 3, mutexID: 1, holder: TaskID(7), startedAt: 3)
        snapshot.demos.channel = .init(
            capacity: 4, buffered: 3, sent: 40, received: 37, total: 100, parkedSenders: 2, parkedReceivers: 0)
        #expect(
            Rendered(snapshot).panel(\.demos) == [
                "lock on the async mutex: 10 tasks, 3 done · held by t7 · 1 parked on the mutex · running…",
                "join sleeps 200 ms and 100 ms: concurrent running… (≈ max) · sequential running… (≈ sum)",
                "channel capacity 4, 3 buffered: sent 40/100 · received 37 · parked: 2 senders, 0 receivers",
            ])
        snapshot.demos.lock = .init(blocking: true, tasks: 10, finished: 10, elapsedNanos: 1_200_000_000, startedAt: 3)
        snapshot.demos.channel?.startedAt = 4
        let rows = Rendered(snapshot).panel(\.demos)
        #expect(rows[0].hasPrefix("channel capacity 4"))
        #expect(rows[1] == "lock on a blocking lock: 10 tasks, 10 done · took 1.2 s")
        #expect(rows[2].hasPrefix("join sleeps 200 ms"))
    }

    @Test func noDemoYetNamesTheKeys() {
        var snapshot = Fixtures.snapshot
        snapshot.demos = DemoSnapshot()
        #expect(
            Rendered(snapshot).panel(\.demos) == ["demos: a join · m / M lock · n channel · f lazy · b / B blocking"])
    }
}
