// DemosPanel: join, lock and channel results, the last-started demo first; the channel's parked
// senders and receivers are the snapshot's tasks parked on that channel, in singular or plural.

import RunvizObservation
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
        snapshot.demos.channel = .init(id: 2, capacity: 4, buffered: 3, sent: 40, received: 37, total: 100)
        #expect(
            Rendered(snapshot).panel(\.demos) == [
                "lock on the async mutex: 10 tasks, 3 done · held by t7 · 1 parked on the mutex · running…",
                "join sleeps 200 ms and 100 ms: concurrent running… (≈ max) · sequential running… (≈ sum)",
                "channel capacity 4, 3 buffered: sent 40/100 · received 37 · parked: 0 senders, 1 receiver",
            ])
        snapshot.demos.lock = .init(blocking: true, tasks: 10, finished: 10, elapsedNanos: 1_200_000_000, startedAt: 3)
        snapshot.demos.channel?.startedAt = 4
        let rows = Rendered(snapshot).panel(\.demos)
        #expect(rows[0].hasPrefix("channel capacity 4"))
        #expect(rows[1] == "lock on a blocking lock: 10 tasks, 10 done · took 1.2 s")
        #expect(rows[2].hasPrefix("join sleeps 200 ms"))
    }

    @Test func channelCountsAreTheSnapshotsTasksParkedOnThatChannel() {
        var snapshot = Fixtures.snapshot
        snapshot.demos = DemoSnapshot(channel: .init(id: 10, capacity: 4, buffered: 4, sent: 9, received: 5, total: 40))
        snapshot.runtime.tasks = [
            Fixtures.task(30, "producer-0", .parked(.channel(id: 10, sending: true))),
            Fixtures.task(31, "producer-1", .queued),
            Fixtures.task(32, "consumer-0", .parked(.channel(id: 10, sending: false))),
            Fixtures.task(33, "consumer-1", .parked(.channel(id: 10, sending: false))),
            // Another channel's waiters are not this demo's.
            Fixtures.task(34, "other", .parked(.channel(id: 11, sending: true))),
        ]
        #expect(
            Rendered(snapshot).panel(\.demos) == [
                "channel capacity 4, 4 buffered: sent 9/40 · received 5 · parked: 1 sender, 2 receivers"
            ])
        snapshot.runtime.tasks.removeAll { $0.id == TaskID(33) }
        snapshot.runtime.tasks.append(Fixtures.task(35, "producer-2", .parked(.channel(id: 10, sending: true))))
        #expect(
            Rendered(snapshot).panel(\.demos) == [
                "channel capacity 4, 4 buffered: sent 9/40 · received 5 · parked: 2 senders, 1 receiver"
            ])
    }

    @Test func noDemoYetNamesTheKeys() {
        var snapshot = Fixtures.snapshot
        snapshot.demos = DemoSnapshot()
        #expect(
            Rendered(snapshot).panel(\.demos) == ["demos: a join · m / M lock · n channel · f lazy · b / B blocking"])
    }
}
