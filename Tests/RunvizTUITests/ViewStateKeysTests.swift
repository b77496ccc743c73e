// ViewState.handle: focus, selection against the snapshot (following its task when rows move),
// detail, step mode, overlays, effects.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct ViewStateKeysTests {
    let lessons = LessonCatalog(texts: [
        "05-join": "# Join\n\nline one\nline two",
        "06-spawn": "# Spawn\n\n" + (1...60).map { "- spawn line \($0)" }.joined(separator: "\n"),
        "04-the-runtime": "# The runtime\n\nworkers",
    ])

    func press(
        _ keys: [Key], _ view: inout ViewState, snapshot: DashboardSnapshot = Fixtures.snapshot, width: Int = 120,
        height: Int = 40
    ) -> [Effect] {
        keys.flatMap { view.handle($0, snapshot: snapshot, lessons: lessons, width: width, height: height) }
    }

    @Test func runtimeKeysComeBackAsEffects() {
        var view = ViewState()
        #expect(press([.character("s")], &view) == [.command(.spawnTasks(count: 1))])
        #expect(press([.character("S")], &view) == [.command(.spawnTasks(count: 100))])
        #expect(press([.character("i")], &view) == [.command(.toggleInstrumentation)])
        #expect(press([.interrupt], &view) == [.quit])
        var expected = ViewState()
        expected.lastDemoLesson = "06-spawn"
        #expect(view == expected, "keys for the runtime change nothing in the view but the lesson `L` offers")
    }

    @Test func tabCyclesFocusThroughEveryPanel() {
        var view = ViewState()
        var seen: [Panel] = []
        for _ in Panel.allCases {
            seen.append(view.focus)
            _ = press([.tab], &view)
        }
        #expect(seen == Panel.allCases)
        #expect(view.focus == .workers)
        _ = press([.backtab], &view)
        #expect(view.focus == .echo)
    }

    @Test func enterOpensTheSelectedParkedTaskAndFollowsIt() {
        var view = ViewState()
        view.taskOrder = .id
        _ = press([.tab, .tab, .down, .down], &view)
        #expect(view.focus == .parkedTasks)
        #expect(view.position(.parkedTasks).selected == 2)
        #expect(press([.enter], &view) == [.command(.follow(TaskID(19)))])
        #expect(view.detail == TaskID(19))
        #expect(press([.escape], &view) == [.command(.follow(nil))])
        #expect(view.detail == nil)
    }

    @Test func selectionStopsAtTheEndOfTheList() {
        var view = ViewState()
        view.taskOrder = .id
        _ = press([.tab, .tab] + Array(repeating: .down, count: 10), &view)
        #expect(view.position(.parkedTasks).selected == 4)
        _ = press([.enter], &view)
        #expect(view.detail == TaskID(21))
    }

    @Test func selectionScrollsTheVisibleRowsAtCompactSize() {
        var view = ViewState()
        view.taskOrder = .id
        _ = press([.tab, .tab, .down, .down, .down], &view, width: 80, height: 24)
        #expect(view.position(.parkedTasks) == ListPosition(selected: 3, top: 2, task: TaskID(20)))
        let rendered = Rendered(Fixtures.snapshot, view, width: 80, height: 24)
        let rows = rendered.panel(\.parkedTasks)
        #expect(rows[2].hasPrefix("t19  locker"))
        #expect(rows[3].hasPrefix("t20  consumer"))
        let rect = rendered.layout!.parkedTasks
        #expect(rendered.screen[0, rect.y + 3].style == .selected)
        #expect(rendered.screen[0, rect.y + 2].style != .selected)
    }

    @Test func pageDownMovesByTheVisibleRows() {
        var view = ViewState()
        _ = press([.tab, .tab, .pageDown], &view, width: 80, height: 24)
        #expect(view.position(.parkedTasks).selected == 2)
        _ = press([.pageUp], &view, width: 80, height: 24)
        #expect(view.position(.parkedTasks).selected == 0)
    }

    @Test func wakeupsAreSelectedNewestFirst() {
        var view = ViewState()
        view.focus = .wakeups
        #expect(press([.enter], &view) == [.command(.follow(TaskID(42)))])
        _ = press([.escape, .down], &view)
        #expect(press([.enter], &view) == [.command(.follow(TaskID(9)))])
    }

    /// A worker row opens its running task; on an idle worker Enter (or `w`) moves the focus to
    /// Parked tasks, whose selection the next key opens.
    @Test func workerRowsOpenTheirTaskAndIdleWorkersNothing() {
        var view = ViewState()
        _ = press([.down], &view)
        #expect(press([.enter], &view) == [.command(.follow(TaskID(7)))])
        var snapshot = Fixtures.snapshot
        snapshot.runtime.workers[0].state = .parkedInDriver
        var idle = ViewState()
        #expect(press([.enter], &idle, snapshot: snapshot) == [])
        #expect(idle.detail == nil)
        #expect(idle.focus == .parkedTasks, "an idle worker has no task: the Parked tasks list offers one")
        #expect(press([.character("w")], &idle, snapshot: snapshot).count == 1, "then w steps its selected task")
        #expect(idle.step != nil)
    }

    @Test func fdsAndReadyQueueResolveTheirTasks() {
        var view = ViewState()
        view.focus = .fds
        _ = press([.down], &view)
        #expect(press([.enter], &view) == [.command(.follow(TaskID(42)))])
        var queue = ViewState()
        queue.focus = .readyQueue
        #expect(press([.enter], &queue) == [.command(.follow(TaskID(51)))])
    }

    @Test func stepModeFollowsOnceAndWalksTheTimeline() {
        var view = ViewState()
        _ = press([.enter], &view)
        #expect(view.detail == TaskID(42))
        #expect(press([.character("w")], &view) == [])
        #expect(view.step == StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.now)))
        #expect(view.detail == nil)

        // Opened after the task's first job (steps 1-6): the walk starts at its next wakeup, fd 12 ready.
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        view.step = StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.timeline.entries[5].time))
        _ = press([.space], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 6), "placed: the first key shows it")
        _ = press([.space, .space], &view, snapshot: snapshot)
        #expect(view.step?.index == 8)
        _ = press([.right, .character("w"), .space], &view, snapshot: snapshot)
        #expect(view.step?.index == 9)
        _ = press([.left], &view, snapshot: snapshot)
        #expect(view.step?.index == 8)
        #expect(press([.escape], &view, snapshot: snapshot) == [.command(.follow(nil))])
        #expect(view.step == nil)
    }

    @Test func stepModeWaitsForTheNextWakeupInsteadOfStartingAtTheOldestStep() {
        // The source rebuilds a followed task's timeline from the whole history: 1,911 steps here.
        var snapshot = Fixtures.snapshot
        var timeline = Fixtures.timeline
        while timeline.entries.count < 1_911 {
            let last = timeline.entries.last!.time
            timeline.entries.append(.init(time: last + 1_000, step: .fdReady(fd: 12, readiness: .read)))
        }
        timeline.entries.removeLast(timeline.entries.count - 1_911)
        snapshot.timeline = timeline
        snapshot.runtime.takenAt = timeline.entries.last!.time
        var view = ViewState()
        view.focus = .fds
        _ = press([.down, .character("w")], &view, snapshot: snapshot)
        #expect(view.step?.task == TaskID(42))
        #expect(view.step?.start == .nextWakeup(after: snapshot.runtime.takenAt))
        _ = press([.space], &view, snapshot: snapshot)
        #expect(view.step?.start != nil, "no wakeup after it opened yet: still waiting, not at step 1")

        // The next frame carries a run and then a wakeup after the instant it opened.
        let opened = snapshot.runtime.takenAt
        timeline.entries += [
            .init(time: opened + 10, step: .runFinished(worker: 0, nanos: 5)),
            .init(time: opened + 20, step: .timerFired),
            .init(time: opened + 30, step: .scheduled(source: .timer, queuedBehind: 0)),
        ]
        snapshot.timeline = timeline
        _ = press([.space], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 1_912), "the timer that fired: step 1,913")
    }

    @Test func rewoundStepModeStartsAtTheLastWakeupUpToTheViewsInstant() {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        var view = ViewState()
        view.paused = true
        view.cursor = Fixtures.timeline.entries[8].time
        _ = press([.enter, .character("w")], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 6), "fd 12 ready, the wakeup the rewound panels show")

        // Rewound to before that wakeup: the timeline ends there, and its last wakeup is its spawn.
        snapshot.timeline?.entries.removeLast(3)
        view.step = nil
        view.cursor = Fixtures.timeline.entries[5].time
        _ = press([.character("w")], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 0))
    }

    @Test func endJumpsToTheLatestStep() {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        var view = ViewState()
        view.step = StepState(task: TaskID(42), index: 2)
        _ = press([.end], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 8))
        #expect(view.paused == false && view.cursor == nil, "End in step mode is not back to live")

        view.step = StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.now))
        _ = press([.end], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 8), "from waiting for the next wakeup too")

        view.step = StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.now))
        _ = press([.left], &view, snapshot: snapshot)
        #expect(view.step == StepState(task: TaskID(42), index: 8), "back from waiting: the newest step")

        view.step = StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.now))
        _ = press([.end], &view)
        #expect(view.step?.start != nil, "no steps recorded yet: still waiting")
    }

    @Test func stepModeOnADashboardRowFollowsIt() {
        var view = ViewState()
        view.taskOrder = .id
        view.focus = .parkedTasks
        #expect(press([.character("w")], &view) == [.command(.follow(TaskID(17)))])
        #expect(view.step == StepState(task: TaskID(17), start: .nextWakeup(after: Fixtures.now)))
    }

    @Test func aCompletedTimelineStopsAtItsLastStep() {
        var snapshot = Fixtures.snapshot
        var timeline = Fixtures.timeline
        timeline.entries.append(.init(time: Fixtures.now, step: .completed))
        snapshot.timeline = timeline
        var view = ViewState()
        view.step = StepState(task: TaskID(42), index: 8)
        _ = press([.space, .space, .space], &view, snapshot: snapshot)
        #expect(view.step?.index == 9)
    }

    @Test func escapeClosesTheTopmostOverlayFirst() {
        var view = ViewState()
        _ = press([.enter, .character("L"), .character("?")], &view)
        #expect(view.helpOpen && view.lesson != nil && view.detail != nil)
        #expect(press([.escape], &view) == [])
        #expect(!view.helpOpen && view.lesson != nil)
        #expect(press([.escape], &view) == [])
        #expect(view.lesson == nil && view.detail != nil)
        #expect(press([.escape], &view) == [.command(.follow(nil))])
        #expect(view.detail == nil)
        #expect(press([.escape], &view) == [])
    }

    @Test func spaceTogglesPause() {
        var view = ViewState()
        _ = press([.space], &view)
        #expect(view.paused)
        #expect(Rendered(Fixtures.snapshot, view).lines[0].hasPrefix("runviz PAUSED │ workers 2"))
        _ = press([.space], &view)
        #expect(!view.paused)
    }

    @Test func lessonOpensForTheLastDemoThenForTheFocusedPanel() {
        var view = ViewState()
        _ = press([.character("a"), .character("L")], &view)
        #expect(view.lesson?.lesson.id == "05-join")
        #expect(view.lesson?.lesson.title == "Join")
        _ = press([.escape], &view)
        view.lastDemoLesson = nil
        let snapshot = Fixtures.snapshot
        _ = press([.character("L")], &view, snapshot: snapshot)
        #expect(view.lesson?.lesson.id == "04-the-runtime")
        _ = press([.right], &view, snapshot: snapshot)
        #expect(view.lesson?.lesson.id == "05-join")
        _ = press([.left, .left], &view, snapshot: snapshot)
        #expect(view.lesson?.lesson.id == "06-spawn")
    }

    @Test func aMissingLessonSaysSo() {
        var view = ViewState()
        view.focus = .fds
        _ = press([.character("L")], &view, snapshot: Fixtures.snapshot)
        #expect(view.lesson?.lesson.lines == ["This lesson (15-interest-list) was not loaded."])
    }

    @Test func lessonScrollIsClampedToItsLength() {
        var view = ViewState()
        view.lesson = LessonView(lesson: lessons.lesson("06-spawn")!)
        _ = press([.down, .down], &view, width: 80, height: 24)
        #expect(view.lesson?.scroll == 2)
        _ = press(Array(repeating: .pageDown, count: 10), &view, width: 80, height: 24)
        #expect(view.lesson?.scroll == 60 - 19)
        _ = press([.up], &view, width: 80, height: 24)
        #expect(view.lesson?.scroll == 60 - 20)
        _ = press(Array(repeating: .pageUp, count: 10), &view, width: 80, height: 24)
        #expect(view.lesson?.scroll == 0)
    }

    @Test func detailScrollsBackThroughTheTimeline() {
        var snapshot = Fixtures.snapshot
        var timeline = Fixtures.timeline
        timeline.entries = (0..<40).map {
            .init(time: Fixtures.now + UInt64($0) * Fixtures.us, step: .runStarted(worker: 0))
        }
        snapshot.timeline = timeline
        let rows = TaskDetailOverlay.timelineRows(in: Rect(x: 0, y: 2, width: 80, height: 21))
        #expect(rows == 15)
        var view = ViewState()
        view.detail = TaskID(42)
        _ = press([.up, .up], &view, snapshot: snapshot, width: 80, height: 24)
        #expect(view.detailScroll == 2)
        _ = press(Array(repeating: .up, count: 50), &view, snapshot: snapshot, width: 80, height: 24)
        #expect(view.detailScroll == 40 - rows)
        _ = press([.pageDown], &view, snapshot: snapshot, width: 80, height: 24)
        #expect(view.detailScroll == 40 - rows - (rows - 1))
        _ = press(Array(repeating: .down, count: 20), &view, snapshot: snapshot, width: 80, height: 24)
        #expect(view.detailScroll == 0)
    }

    @Test func oCyclesTheOrderOfParkedTasks() {
        var view = ViewState()
        #expect(view.taskOrder == .newest)
        var seen: [TaskOrder] = []
        for _ in TaskOrder.allCases {
            _ = press([.character("o")], &view)
            seen.append(view.taskOrder)
        }
        #expect(seen == [.id, .state, .polls, .busy, .newest])
    }

    @Test func slashTypesAFilterThatEnterKeepsAndEscClears() {
        var view = ViewState()
        _ = press([.character("/")], &view)
        #expect(view.editingFilter)
        #expect(press([.character("q"), .character("u")], &view).isEmpty, "q types while filtering; it does not quit")
        _ = press([.backspace, .backspace, .character("l"), .character("o"), .character("c")], &view)
        #expect(view.taskFilter == "loc")
        _ = press([.enter], &view)
        #expect(!view.editingFilter && view.taskFilter == "loc")
        #expect(press([.character("q")], &view) == [.quit], "after Enter keys act again")
        var again = ViewState()
        _ = press([.character("/"), .character("x"), .escape], &again)
        #expect(!again.editingFilter && again.taskFilter.isEmpty)
        #expect(press([.character("/"), .interrupt], &again) == [.quit], "Ctrl-C always quits")
    }

    @Test func theFilterNarrowsTheListTheSelectionWalks() {
        var view = ViewState()
        view.taskOrder = .id
        view.taskFilter = "e"
        view.focus = .parkedTasks
        // echo-conn, sleeper, locker, consumer, joiner all contain "e"; "mutex" matches by reason.
        view.taskFilter = "mutex"
        #expect(press([.enter], &view) == [.command(.follow(TaskID(19)))])
    }

    @Test func movingTheFocusAsksForThatPanelsLesson() {
        var view = ViewState()
        _ = press([.character("c"), .tab, .tab, .tab, .character("L")], &view)
        #expect(view.focus == .fds)
        #expect(view.lesson?.lesson.id == "15-interest-list", "the panel's, not the last demo's")
    }
}

extension ViewStateKeysTests {
    /// Tasks parked on their sockets, spawned in the order given (the first oldest), each with `polls`.
    static func parked(_ tasks: [(id: UInt64, polls: UInt64)]) -> DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks = tasks.enumerated().map { i, t in
            var task = Fixtures.task(t.id, "echo-conn", .parked(.io(fd: Int32(t.id), interest: .read)))
            task.spawnedAt = Fixtures.now - UInt64(100 - i) * Fixtures.ms
            task.polls = t.polls
            return task
        }.sorted { $0.id < $1.id }
        snapshot.runtime.taskCounts.parked = [.io: tasks.count]
        return snapshot
    }

    @Test func enterOpensTheChosenTaskAfterTheOrderMovedIt() {
        var view = ViewState()
        view.focus = .parkedTasks
        view.taskOrder = .polls
        let before = Self.parked([(5, 30), (9, 40), (12, 50)])
        _ = press([.down], &view, snapshot: before)
        #expect(view.selectedTask(before, width: 120, height: 40) == TaskID(9))
        // t9 polled the most since: it is the first row now.
        let after = Self.parked([(5, 30), (9, 60), (12, 50)])
        #expect(press([.enter], &view, snapshot: after) == [.command(.follow(TaskID(9)))])
        _ = press([.escape, .down], &view, snapshot: after)
        #expect(view.selectedTask(after, width: 120, height: 40) == TaskID(12), "down moves from t9's row")
    }

    @Test func aTaskSpawnedAboveTheSelectionLeavesItOnItsTask() {
        var view = ViewState()
        view.focus = .parkedTasks
        let before = Self.parked([(5, 1), (9, 1), (12, 1)])
        _ = press([.down], &view, snapshot: before)
        #expect(view.selectedTask(before, width: 120, height: 40) == TaskID(9))
        let after = Self.parked([(5, 1), (9, 1), (12, 1), (30, 1)])
        #expect(press([.enter], &view, snapshot: after) == [.command(.follow(TaskID(9)))])
    }

    @Test func aReorderKeepsTheSelectedTask() {
        var view = ViewState()
        view.focus = .parkedTasks
        let snapshot = Self.parked([(5, 30), (9, 40), (12, 50)])
        _ = press([.down, .down], &view, snapshot: snapshot)
        #expect(view.selectedTask(snapshot, width: 120, height: 40) == TaskID(5))
        _ = press([.character("o")], &view, snapshot: snapshot)
        #expect(view.taskOrder == .id)
        #expect(press([.enter], &view, snapshot: snapshot) == [.command(.follow(TaskID(5)))])
    }

    @Test func aSelectedTaskThatLeavesTheListLeavesTheSelectionOnItsRow() {
        var view = ViewState()
        view.focus = .parkedTasks
        let before = Self.parked([(5, 1), (9, 1), (12, 1)])
        _ = press([.down], &view, snapshot: before)
        let after = Self.parked([(5, 1), (12, 1)])
        #expect(press([.enter], &view, snapshot: after) == [.command(.follow(TaskID(5)))])
    }
}
