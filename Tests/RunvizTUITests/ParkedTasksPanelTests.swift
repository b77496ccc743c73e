// ParkedTasksPanel: counts by reason and the scrolling list of what each task waits on and who
// awaits it, under column headers, newest first unless `o` orders it otherwise, filtered by `/`;
// the selected row is the selected task's; tasks finished lately stay, dimmed, with who awaited them.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct ParkedTasksPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.parkedTasks).prefix(8) == [
                "─ Parked tasks 5 · newest first " + String(repeating: "─", count: 24),
                "io 1 · timer 1 · mutex 1 · channel 1 · join 1",
                "task name       parked on        due in  waited  awaiter",
                "t19  locker     mutex #1                 3.0 ms  not yet",
                "t18  sleeper    timer            120 ms   10 ms  not yet",
                "t20  consumer   channel #2 recv           40 ms  not yet",
                "t17  echo-conn  fd 12 read                1.2 s  nobody",
                "t21  joiner     join t5                   2.5 s  t3",
            ])
    }

    /// A filter and a count of finished tasks leave the order's name out of a title too short for all.
    @Test func aLongTitleDropsTheOrderWhole() {
        var view = ViewState()
        view.taskFilter = "consumer-1"
        var snapshot = Fixtures.snapshot
        snapshot.runtime.taskCounts.recentlyFinished = 4
        snapshot.runtime.taskCounts.parked[.io] = 221
        let title = Rendered(snapshot, view).panel(\.parkedTasks)[0]
        #expect(title.hasPrefix("─ Parked tasks 0 of 225 + 4 done /consumer-1 ─"))
        #expect(!title.contains("newest fi"))
    }

    /// Rows above the window (the selection keeps its task in view) are counted, not hidden silently.
    @Test func rowsAboveTheWindowAreCounted() {
        var view = ViewState()
        view.focus = .parkedTasks
        view.lists[.parkedTasks] = ListPosition(selected: 4)
        let rows = Rendered(Fixtures.snapshot, view, width: 80, height: 24).panel(\.parkedTasks)
        #expect(rows[0].hasPrefix("▶ Parked tasks 5 · newest first · ↑ 3 above: io 1 · "), "\(rows[0])")
    }

    @Test func compactRowsPutTheCountsInTheTitle() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.parkedTasks) == [
                "─ Parked tasks 5 · newest first: io 1 · timer 1 · mutex 1 · channel 1 · join 1 ─",
                "task name                     parked on  due in  waited  awaiter",
                "t19  locker                   mutex #1           3.0 ms  not yet",
                "t18  sleeper                  timer      120 ms   10 ms  not yet",
            ])
    }

    @Test func namesKeepTheColumnsTheShownReasonsLeave() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks = [
            Fixtures.task(
                1, "accept-loop", .parked(.io(fd: 5, interest: .read)), since: Fixtures.now - 3_600 * Fixtures.ms),
            Fixtures.task(2, "echo-stats", .parked(.timer(deadline: Fixtures.now + 323 * Fixtures.ms))),
        ]
        snapshot.runtime.taskCounts.parked = [.io: 1, .timer: 1]
        #expect(
            Array(Rendered(snapshot).panel(\.parkedTasks)[2...4]) == [
                "task name             parked on  due in  waited  awaiter",
                "t2   echo-stats       timer      323 ms    0 ns  not yet",
                "t1   accept-loop      fd 5 read           3.6 s  not yet",
            ])
    }

    /// What tasks runviz did not start wait on: a continuation, a task group, an actor by its class
    /// name (resolved into `parkedOn`), another task; counted by kind in the title, `other` last.
    @Test func hookedTasksWaitOnContinuationsGroupsAndActors() {
        var snapshot = Fixtures.snapshot
        var queued = Fixtures.task(4, "Task {}", .parked(.actor(name: 3)), since: Fixtures.now - 2 * Fixtures.ms)
        queued.parkedOn = "actor Inventory"
        var onMain = Fixtures.task(5, "Task {}", .parked(.actor(name: 4)), since: Fixtures.now - 3 * Fixtures.ms)
        onMain.parkedOn = "actor MainActor"
        snapshot.runtime.tasks = [
            Fixtures.task(1, "fetch", .parked(.continuation), since: Fixtures.now - 40 * Fixtures.ms),
            Fixtures.task(2, "fanout", .parked(.taskGroup), since: Fixtures.now - 7 * Fixtures.ms),
            Fixtures.task(3, "Task {}", .parked(.join(TaskID(1))), since: Fixtures.now - 1 * Fixtures.ms),
            queued, onMain,
            Fixtures.task(6, "Task {}", .parked(.other), since: Fixtures.now - 5 * Fixtures.ms),
        ]
        snapshot.runtime.taskCounts.parked = [.continuation: 1, .taskGroup: 1, .join: 1, .actor: 2, .other: 1]
        #expect(
            Array(Rendered(snapshot).panel(\.parkedTasks)[0...8]) == [
                "─ Parked tasks 6 · newest first " + String(repeating: "─", count: 24),
                "join 1 · continuation 1 · group 1 · actor 2 · other 1",
                "task name       parked on        due in  waited  awaiter",
                "t3   Task {}    join t1                  1.0 ms  not yet",
                "t4   Task {}    actor Inventory          2.0 ms  not yet",
                "t5   Task {}    actor MainActor          3.0 ms  not yet",
                "t6   Task {}    other                    5.0 ms  not yet",
                "t2   fanout     task group               7.0 ms  not yet",
                "t1   fetch      continuation              40 ms  not yet",
            ])
    }

    @Test func aPastTimerDeadlineIsDue() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks[2].state = .parked(.timer(deadline: Fixtures.now - 1))
        #expect(
            Rendered(snapshot).panel(\.parkedTasks)[4] == "t18  sleeper    timer               due   10 ms  not yet")
    }

    @Test func nothingParked() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks = []
        snapshot.runtime.taskCounts.parked = [:]
        #expect(Rendered(snapshot).panel(\.parkedTasks)[1...2] == ["no task is parked", ""])
    }

    @Test func tenThousandParkedTasksScrollToTheEnd() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks = (1...10_000).map {
            Fixtures.task(
                UInt64($0), "conn", .parked(.io(fd: Int32($0), interest: .read)), since: Fixtures.now - UInt64($0))
        }
        snapshot.runtime.taskCounts.parked = [.io: 10_000]
        var view = ViewState()
        view.focus = .parkedTasks
        _ = view.handle(.pageDown, snapshot: snapshot, lessons: LessonCatalog(), width: 80, height: 24)
        #expect(view.position(.parkedTasks) == ListPosition(selected: 2, top: 1, task: TaskID(3)))
        // A page is two rows here: from near the end, ten pages reach it and stop there.
        view.lists[.parkedTasks] = ListPosition(selected: 9_985, top: 9_984, task: TaskID(9_986))
        for _ in 0..<10 {
            _ = view.handle(.pageDown, snapshot: snapshot, lessons: LessonCatalog(), width: 80, height: 24)
        }
        #expect(view.position(.parkedTasks) == ListPosition(selected: 9_999, top: 9_998, task: TaskID(10_000)))
        let rows = Rendered(snapshot, view, width: 80, height: 24).panel(\.parkedTasks)
        #expect(rows[0].hasPrefix("▶ Parked tasks 10,000 · newest first · ↑ 9,998 above: io 10,000 ─"))
        #expect(rows[1].hasPrefix("task   name"))
        #expect(rows[2].hasPrefix("t9999  conn"))
        #expect(rows[3].hasPrefix("t10000 conn"))
        #expect(rows[3].contains("fd 10000 read"))
    }

    @Test func theTitleNamesTheOrderAndTheFilter() {
        var view = ViewState()
        view.taskOrder = .id
        view.taskFilter = "er"
        let rows = Rendered(Fixtures.snapshot, view).panel(\.parkedTasks)
        #expect(rows[0].hasPrefix("─ Parked tasks 4 of 5 /er · by id "))
        #expect(rows[3...5].map { String($0.prefix(13)) } == ["t18  sleeper ", "t19  locker  ", "t20  consumer"])
        view.editingFilter = true
        #expect(
            Rendered(Fixtures.snapshot, view).panel(\.parkedTasks)[0].hasPrefix("─ Parked tasks 4 of 5 /er_ · by id "))
    }
}

extension ParkedTasksPanelTests {
    @Test func aNewTaskShowsAtTheTopAmongBusierOnes() {
        var snapshot = ViewStateKeysTests.parked([(5, 900), (9, 700), (12, 800)])
        // The echo connections parked a moment ago; the new task was spawned after them and sleeps.
        var sleeper = Fixtures.task(
            30, "demo-1", .parked(.timer(deadline: Fixtures.now + 900 * Fixtures.ms)), handle: .dropped)
        sleeper.since = Fixtures.now - 50 * Fixtures.ms
        sleeper.spawnedAt = sleeper.since
        snapshot.runtime.tasks.append(sleeper)
        snapshot.runtime.taskCounts.parked = [.io: 3, .timer: 1]
        #expect(
            Array(Rendered(snapshot).panel(\.parkedTasks)[2...6]) == [
                "task name            parked on   due in  waited  awaiter",
                "t30  demo-1          timer       900 ms   50 ms  nobody",
                "t12  echo-conn       fd 12 read            0 ns  not yet",
                "t9   echo-conn       fd 9 read             0 ns  not yet",
                "t5   echo-conn       fd 5 read             0 ns  not yet",
            ])
    }

    @Test func theHighlightStaysOnTheSelectedTaskWhenRowsMove() {
        var view = ViewState()
        view.focus = .parkedTasks
        view.taskOrder = .polls
        view.lists[.parkedTasks] = ListPosition(selected: 1, top: 0, task: TaskID(9))
        let rendered = Rendered(ViewStateKeysTests.parked([(5, 30), (9, 60), (12, 50)]), view)
        let rect = rendered.layout!.parkedTasks
        #expect(
            Array(rendered.panel(\.parkedTasks)[3...5].map { String($0.prefix(14)) }) == [
                "t9   echo-conn", "t12  echo-conn", "t5   echo-conn",
            ])
        #expect(rendered.screen[0, rect.y + 3].style == .selected)
        #expect(rendered.screen[0, rect.y + 4].style != .selected)
    }
}

extension ParkedTasksPanelTests {
    @Test func finishedTasksStayDimmedWithWhoAwaitedThem() throws {
        var snapshot = Fixtures.snapshot
        var awaited = Fixtures.task(
            30, "demo-1", .completed, since: Fixtures.now - 2_100 * Fixtures.ms, handle: .awaited(by: TaskID(7)))
        awaited.spawnedAt = Fixtures.now - 1 * Fixtures.ms
        var forgotten = Fixtures.task(
            31, "demo-2", .cancelled, since: Fixtures.now - 40 * Fixtures.ms, handle: .dropped)
        forgotten.spawnedAt = Fixtures.now - 2 * Fixtures.ms
        snapshot.runtime.tasks += [awaited, forgotten]
        snapshot.runtime.taskCounts.recentlyFinished = 2
        let rendered = Rendered(snapshot)
        #expect(
            rendered.panel(\.parkedTasks).prefix(9) == [
                "─ Parked tasks 5 + 2 done · newest first " + String(repeating: "─", count: 15),
                "io 1 · timer 1 · mutex 1 · channel 1 · join 1",
                "task name       parked on        due in  waited  awaiter",
                "t30  demo-1     done 2.1 s ago, awaited by t7",
                "t31  demo-2     cancelled 40 ms ago, nobody awaited",
                "t19  locker     mutex #1                 3.0 ms  not yet",
                "t18  sleeper    timer            120 ms   10 ms  not yet",
                "t20  consumer   channel #2 recv           40 ms  not yet",
                "t17  echo-conn  fd 12 read                1.2 s  nobody",
            ])
        let rect = try #require(rendered.layout?.parkedTasks)
        #expect(rendered.screen[rect.x + 20, rect.y + 3].style == .dim)
        #expect(rendered.screen[rect.x + 20, rect.y + 5].style != .dim)
    }

    @Test func theAwaiterColumnNamesWhoAwaits() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks[4].handle = .awaited(by: .none)
        var child = Fixtures.task(60, "child of t21", .parked(.timer(deadline: Fixtures.now)), handle: .noHandle)
        child.isChild = true
        child.parent = TaskID(21)
        var foreign = Fixtures.task(61, "task", .parked(.other), handle: .noHandle)
        foreign.spawnedAt = 0
        snapshot.runtime.tasks += [child, foreign]
        snapshot.runtime.taskCounts.parked[.timer] = 2
        snapshot.runtime.taskCounts.parked[.other] = 1
        var view = ViewState()
        view.taskOrder = .id
        let rows = Rendered(snapshot, view, width: 120, height: 60).panel(\.parkedTasks)
        #expect(rows.first { $0.hasPrefix("t20 ") }?.hasSuffix("  blockOn") == true)
        #expect(rows.first { $0.hasPrefix("t21 ") }?.hasSuffix("  t3") == true)
        #expect(rows.first { $0.hasPrefix("t60 ") }?.hasSuffix("  parent") == true)
        #expect(rows.first { $0.hasPrefix("t61 ") }?.hasSuffix("  -") == true)
    }
}
