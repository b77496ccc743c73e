// ReadyQueuePanel: inject and local depths, 60-s history, not-yet-polled, first queued tasks.

import Testing

@testable import RunvizTUI

@Suite struct ReadyQueuePanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.readyQueue) == [
                "─ Ready queue 10 " + String(repeating: "─", count: 39),
                "inject 2 · W0 3 · W1 5 · not yet polled 1",
                "last 5 s ▁▂▃▅█ peak 8",
                "t51     spawn-burst      inject waiting 1.2 ms",
                "t52     spawn-burst      W0     waiting 35 µs",
                "", "", "",
            ])
    }

    @Test func compactRowsPutTheDepthsInTheTitle() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.readyQueue) == [
                "─ Ready queue 10: inject 2 · W0 3 · W1 5 · not yet polled 1 " + String(repeating: "─", count: 20),
                "last 5 s ▁▂▃▅█ peak 8",
                "t51     spawn-burst              inject waiting 1.2 ms",
            ])
    }

    @Test func emptyQueueSaysSo() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.queuedTasks = []
        snapshot.runtime.readyQueueHistory = []
        snapshot.runtime.injectQueueDepth = 0
        for i in snapshot.runtime.workers.indices { snapshot.runtime.workers[i].localQueueDepth = 0 }
        #expect(Rendered(snapshot).panel(\.readyQueue)[2...3] == ["last 0 s  peak 0", "no task waiting for a worker"])
    }

    /// The depths are counters of this instant, the list comes from events read just before: a job
    /// counted but not listed is said to be so, never "no task waiting" under "Ready queue 1".
    @Test func aJobCountedButNotYetListedIsNotDenied() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.queuedTasks = []
        snapshot.runtime.injectQueueDepth = 0
        snapshot.runtime.workers[0].localQueueDepth = 0
        snapshot.runtime.workers[1].localQueueDepth = 1
        let rows = Rendered(snapshot).panel(\.readyQueue)
        #expect(rows[0].hasPrefix("─ Ready queue 1 "))
        #expect(rows[3] == "1 queued just now: not in the event list yet")
    }

    @Test func historyShowsAtMostSixtySamples() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.readyQueueHistory = Array(repeating: 0, count: 59) + [3]
        let row = Rendered(snapshot).panel(\.readyQueue)[2]
        #expect(row.hasPrefix("last 60 s ▁▁▁"))
        #expect(row.hasSuffix("▁█ peak 3"))
    }
}
