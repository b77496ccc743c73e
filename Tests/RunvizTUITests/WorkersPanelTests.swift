// WorkersPanel: one row per worker, state by glyph and word, busy sparkline, runs/s, steals, queue.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct WorkersPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.workers) == [
                "▶ Workers 2  ● running ◐ searching ○ parked ◎ in epoll ■ BLOCKED "
                    + String(repeating: "─", count: 55),
                "W0 ● running  t42 echo-conn                   73% ▁▃▅▆█                    "
                    + "12.3k runs/s  steals 4  local queue 3",
                "W1 ■ BLOCKED  t7 blocker 1.2 s               100% ███                          "
                    + "0 runs/s  steals 0  local queue 5",
                "blocking pool  3 threads (max 512) · 1 busy · 0 queued · 17 done",
            ])
    }

    @Test func compactRows() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.workers).dropFirst() == [
                "W0 ● running  t42 echo-conn      73% ▁▃▅▆█    12.3k/s  steals 4  queue 3",
                "W1 ■ BLOCKED  t7 blocker 1.2 s  100% ███          0/s  steals 0  queue 5",
                "blocking pool  3 threads (max 512) · 1 busy · 0 queued · 17 done",
            ])
    }

    /// A default actor's job is no task's: the row names the actor it runs for, with no task id.
    @Test func aWorkerInAnActorsJobNamesTheActor() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.workers[0].state = .running(.none, name: "actor Inventory", forNanos: 35_000)
        snapshot.runtime.workers[1].state = .blocked(.none, name: "actor Inventory", forNanos: 300_000_000)
        let rows = Rendered(snapshot).panel(\.workers)
        #expect(rows[1].hasPrefix("W0 ● running  actor Inventory    "))
        #expect(rows[2].hasPrefix("W1 ■ BLOCKED  actor Inventory 300 ms    "))
        #expect(
            Lint(kind: .blockedWorker, taskName: "actor Inventory", worker: 1, nanos: 300_000_000)
                .message(.unicode) == "W1 blocked 300 ms by actor Inventory")
    }

    /// The numbers stay whole; in the state column a long task name is cut before a block's duration.
    @Test func largeNumbersStayOnScreenAndTheStateGivesWay() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.workers[0].steals = 45_213
        snapshot.runtime.workers[0].localQueueDepth = 10_000
        snapshot.runtime.workers[0].runsPerSecond = 1_234_567
        snapshot.runtime.workers[1].state = .blocked(
            TaskID(7), name: "a-blocker-with-a-long-name", forNanos: 1_200_000_000)
        #expect(
            Array(Rendered(snapshot).panel(\.workers)[1...2]) == [
                "W0 ● running  t42 echo-conn                   73% ▁▃▅▆█                     "
                    + "1.2M runs/s  steals 45.2k  local queue 10.0k",
                "W1 ■ BLOCKED  t7 a-blocker-with-a-lon… 1.2 s 100% ███                          "
                    + "0 runs/s  steals 0  local queue 5",
            ])
        #expect(
            Array(Rendered(snapshot, width: 80, height: 24).panel(\.workers)[1...2]) == [
                "W0 ● running  t42 echo-conn      73% ▁▃▅▆█     1.2M/s  steals 45.2k  queue 10.0k",
                "W1 ■ BLOCKED  t7 a-block… 1.2 s 100% ███          0/s  steals 0  queue 5",
            ])
    }

    /// At 80 columns a worker blocked on a lock keeps the wait's duration: "lock wait:" shortens first.
    @Test func aLockWaitKeepsItsDurationWhenNarrow() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.workers[1].state = .blockedOnLock(TaskID(691), name: "blocklock-1", forNanos: 610_000_000)
        let row = Rendered(snapshot, width: 80, height: 24).panel(\.workers)[2]
        #expect(row.hasPrefix("W1 ■ BLOCKED  lock: t691 610 ms "))
    }

    @Test func oneBlockingThreadIsSingular() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.blockingPool.threads = 1
        #expect(
            Rendered(snapshot).panel(\.workers)[3] == "blocking pool  1 thread (max 512) · 1 busy · 0 queued · 17 done")
    }

    @Test func everyStateReadsAsAWordAndAGlyph() {
        var snapshot = Fixtures.snapshot
        let states: [WorkerSnapshot.State] = [
            .searching, .parked, .parkedInDriver, .blockedOnLock(TaskID(9), name: "locker", forNanos: 300_000_000),
            .stopped, .running(TaskID(42), name: "echo-conn", forNanos: 1),
        ]
        snapshot.runtime.workers = states.enumerated().map { WorkerSnapshot(index: $0.offset, state: $0.element) }
        let rows = Rendered(snapshot).panel(\.workers)
        #expect(rows[1].hasPrefix("W0 ◐ searching   "))
        #expect(rows[2].hasPrefix("W1 ○ parked      "))
        #expect(rows[3].hasPrefix("W2 ◎ parked in epoll   "))
        #expect(rows[4].hasPrefix("W3 ■ BLOCKED  lock wait: t9 locker 300 ms"))
        #expect(rows[5].hasPrefix("W4 × stopped     "))
        #expect(rows[6].hasPrefix("W5 ● running  t42 echo-conn   "))
        let ascii = Rendered(snapshot, ViewState(ascii: true)).panel(\.workers)
        #expect(ascii[4].hasPrefix("W3 # BLOCKED  lock wait: t9 locker 300 ms"))
        #expect(ascii[1].hasPrefix("W0 ~ searching"))
    }

    @Test func stateGlyphAndWordCarryTheStateStyle() {
        var view = ViewState()
        view.focus = .echo
        let rendered = Rendered(Fixtures.snapshot, view)
        let y = rendered.layout!.workers.y
        #expect((3..<12).allSatisfy { rendered.screen[$0, y + 1].style == .running })
        #expect((3..<12).allSatisfy { rendered.screen[$0, y + 2].style == .blocked })
        #expect(rendered.screen[14, y + 2].style == .normal)
    }

    @Test func manyWorkersScrollWithTheSelection() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.workers = (0..<12).map { WorkerSnapshot(index: $0, state: .parked, localQueueDepth: $0) }
        var view = ViewState()
        for _ in 0..<5 {
            _ = view.handle(.down, snapshot: snapshot, lessons: LessonCatalog(), width: 80, height: 24)
        }
        let rows = Rendered(snapshot, view, width: 80, height: 24).panel(\.workers)
        #expect(rows.count == 4)
        #expect(rows[1].hasPrefix("W4  ○ parked"))
        #expect(rows[2].hasPrefix("W5  ○ parked"))
        #expect(rows[2].hasSuffix("queue 5"))
    }
}

extension WorkersPanelTests {
    @Test func theFocusedPanelSelectsItsFirstRow() {
        let rendered = Rendered()
        let y = rendered.layout!.workers.y
        #expect(rendered.screen[0, y].style == .focusedTitle)
        #expect((0..<120).allSatisfy { rendered.screen[$0, y + 1].style == .selected })
        #expect(rendered.screen[3, y + 2].style == .blocked)
    }
}
