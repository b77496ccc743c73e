// StepModeOverlay: one step per key press, the current step highlighted, waiting for more; a walk
// stays on its step when the timeline drops older steps (steps keep their numbers and the origin).

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct StepModeOverlayTests {
    func lines(_ step: StepState, timeline: TaskTimeline? = Fixtures.timeline, ascii: Bool = false) -> [String] {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = timeline
        var view = ViewState(ascii: ascii)
        view.step = step
        return Rendered(snapshot, view, width: 80, height: 24).lines
    }

    @Test func revealsStepsUpToTheCurrentOne() {
        let screen = lines(StepState(task: TaskID(42), index: 3))
        #expect(screen[2].hasPrefix("┌─ Step mode: t42 echo-conn · step 4 of 9 ─"))
        #expect(
            Array(screen[3...12]) == [
                "│ One step per key press: the Swift runtime's words, then the primer's.        │",
                "│   from wake   Swift runtime                        the primer (tokio)        │",
                "│   +0.000 ms   task created: swift_task_create      tokio::spawn              │",
                "│   +0.005 ms   first job enqueued, 0 ahead          scheduled                 │",
                "│   +0.012 ms   job run on W1                        poll                      │",
                "│ ▶ +0.020 ms   waker stored: fd 12 read             register interest         │",
                "│                                                                              │",
                "│ The task leaves its waker with the reactor for this fd, which epoll has      │",
                "│ watched since one epoll_ctl ADD.                                             │",
                "│                                                                              │",
            ])
    }

    @Test func aShortReadShowsAsTheStepThatClearedReadinessInsteadOfAReadToEAGAIN() {
        var timeline = Fixtures.timeline
        let at = timeline.entries[3].time - 1_000
        timeline.entries.insert(
            .init(time: at, step: .readinessCleared(fd: 12, interest: .read, by: .shortRead)), at: 3)
        let screen = lines(StepState(task: TaskID(42), index: 3), timeline: timeline)
        #expect(
            Array(screen[7...11]) == [
                "│   +0.012 ms   job run on W1                        poll                      │",
                "│ ▶ +0.019 ms   cleared by short read: fd 12 read    clear_readiness           │",
                "│                                                                              │",
                "│ A read that returns less than its buffer proves fd 12 drained (Linux): the   │",
                "│ task parks with no read to EAGAIN, as tokio's poll_read does.                │",
            ])
    }

    @Test func theCurrentStepIsHighlighted() {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        var view = ViewState()
        view.step = StepState(task: TaskID(42), index: 1)
        let screen = Dashboard.render(snapshot, view, width: 80, height: 24)
        #expect(screen[4, 6].style == .current)
        #expect(screen[4, 5].style != .current)
    }

    @Test func eachKeyPressRevealsOneMoreStep() {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        var view = ViewState()
        view.step = StepState(task: TaskID(42))
        var revealed: [Int] = []
        for _ in 0..<4 {
            let screen = Dashboard.render(snapshot, view, width: 80, height: 24).lines()
            revealed.append(screen.filter { $0.hasPrefix("│ ▶ ") || $0.hasPrefix("│   +") }.count)
            _ = view.handle(.space, snapshot: snapshot, lessons: LessonCatalog(), width: 80, height: 24)
        }
        #expect(revealed == [1, 2, 3, 4])
    }

    @Test func waitsForTheNextWakeupWhenEveryStepIsShown() {
        let screen = lines(StepState(task: TaskID(42), index: 9))
        #expect(screen[2].hasPrefix("┌─ Step mode: t42 echo-conn · 9 of 9 shown ─"))
        #expect(screen[13].hasPrefix("│   +0.037 ms   job run on W1"), "37 µs after fd 12 was reported ready")
        #expect(screen[15].hasPrefix("│ waiting for the next wakeup of t42…"))
        #expect(
            lines(StepState(task: TaskID(42), index: 9), ascii: true)[15].hasPrefix(
                "| waiting for the next wakeup of t42..."))
    }

    @Test func opensWaitingForTheNextWakeupNotAtTheOldestStep() {
        // Opened at the frame's instant: the 9 steps before it are not the walk's.
        let screen = lines(StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.now)))
        #expect(
            Array(screen[2...9]) == [
                "┌─ Step mode: t42 echo-conn · waiting for its next wakeup ─────────────────────┐",
                "│ One step per key press: the Swift runtime's words, then the primer's.        │",
                "│   from wake   Swift runtime                        the primer (tokio)        │",
                "│                                                                              │",
                "│ waiting for the next wakeup of t42… The walk starts there: the kernel        │",
                "│ reports its fd ready, its timer fires, or another task wakes it. ← or End:   │",
                "│ its latest step (9 recorded so far).                                         │",
                "│                                                                              │",
            ])
        #expect(screen[22] == "└─ space, → or w: next · ← back · End latest · Esc leave ──────────────────────┘")
    }

    @Test func opensOnTheWakeupAfterItWasOpened() {
        // Opened between the first job and fd 12's readiness: step 7 is current, the steps before it above.
        var step = StepState(task: TaskID(42), start: .nextWakeup(after: Fixtures.timeline.entries[5].time))
        step.place(in: Fixtures.timeline)
        let screen = lines(step)
        #expect(screen[2].hasPrefix("┌─ Step mode: t42 echo-conn · step 7 of 9 ─"))
        #expect(
            Array(screen[10...14]) == [
                "│   -1.478 ms   job returns after 10 µs on W1        poll returns              │",
                "│ ▶ +0.000 ms   epoll_wait → fd 12 readable          kernel notifies           │",
                "│                                                                              │",
                "│ epoll_wait returned: the kernel reports the fd ready, so the runtime fires   │",
                "│ the task's waker.                                                            │",
            ])
    }

    @Test func waitsBeforeTheFirstStepArrives() {
        let screen = lines(StepState(task: TaskID(17)), timeline: nil)
        #expect(screen[2].hasPrefix("┌─ Step mode: t17 echo-conn · 0 of 0 shown ─"))
        #expect(screen[6].hasPrefix("│ waiting for the next wakeup of t17…"))
    }

    @Test func aFinishedTaskSaysSo() {
        var timeline = Fixtures.timeline
        timeline.entries.append(.init(time: Fixtures.now, step: .completed))
        let screen = lines(StepState(task: TaskID(42), index: 9), timeline: timeline)
        #expect(screen[14].hasPrefix("│ ▶ +8.500 ms   returned                             Ready"))
        #expect(screen[16].hasPrefix("│ The last job returned a value: Ready."))
        let after = lines(StepState(task: TaskID(42), index: 10), timeline: timeline)
        #expect(after.contains { $0.hasPrefix("│ t42 finished: that was its whole life.") })
    }

    @Test func aWalkStaysOnItsStepWhenOlderStepsAreDropped() {
        let before = lines(StepState(task: TaskID(42), index: 3))
        // The aggregator dropped the first two steps: the same walk must show the same step.
        var trimmed = Fixtures.timeline
        trimmed.entries.removeFirst(2)
        trimmed.firstIndex = 2
        let after = lines(StepState(task: TaskID(42), index: 3), timeline: trimmed)
        #expect(after[2].hasPrefix("┌─ Step mode: t42 echo-conn · step 4 of 9 ─"))
        // The words are the same step's; its time counts from the top row shown, now a later one.
        let current = { (screen: [String]) in screen.first { $0.hasPrefix("│ ▶ ") }.map { String($0.dropFirst(16)) } }
        #expect(current(after) == current(before))
        #expect(current(after) == "waker stored: fd 12 read             register interest         │")
        #expect(after[12] == before[12], "the explanation is the same step's")
    }

    /// A task followed for a minute: its wakeup's steps, microseconds apart, still read in
    /// microseconds (from the wakeup's start), not as one "+57.400 s" for every step.
    @Test func aLateWakeupReadsInMicroseconds() {
        var late = Fixtures.timeline
        for i in late.entries.indices { late.entries[i].time += 57_400_000_000 }
        let screen = lines(StepState(task: TaskID(42), index: 3), timeline: late)
        #expect(screen.contains { $0.hasPrefix("│   +0.005 ms   first job enqueued") })
        #expect(screen.contains { $0.hasPrefix("│ ▶ +0.020 ms   waker stored: fd 12 read") })
    }

    /// Walking on inside one wakeup, a step keeps the time it was shown with.
    @Test func aStepKeepsItsTimeAsTheWalkGoesOn() {
        let atReady = lines(StepState(task: TaskID(42), index: 6))
        let next = lines(StepState(task: TaskID(42), index: 7))
        let ready = { (screen: [String]) in screen.first { $0.contains("epoll_wait → fd 12 readable") } }
        #expect(ready(atReady)?.contains("+0.000 ms") == true)
        #expect(ready(next)?.contains("+0.000 ms") == true)
    }

    @Test func aStepOlderThanTheKeptOnesSaysSoAndTheNextKeyGoesOn() {
        var trimmed = Fixtures.timeline
        trimmed.entries.removeFirst(5)
        trimmed.firstIndex = 5
        var snapshot = Fixtures.snapshot
        snapshot.timeline = trimmed
        var view = ViewState()
        view.step = StepState(task: TaskID(42), index: 3)
        let screen = Dashboard.render(snapshot, view, width: 80, height: 24).lines()
        #expect(screen.contains { $0.contains("step 4 is older than the 4 steps kept") })
        _ = view.handle(.space, snapshot: snapshot, lessons: LessonCatalog(), width: 80, height: 24)
        #expect(view.step?.index == 5, "the oldest kept step")
    }
}
