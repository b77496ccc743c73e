// TaskDetailOverlay: task header (with what the timeline's times count from), percentiles and the
// timeline in both vocabularies.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct TaskDetailOverlayTests {
    var snapshot: DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        return snapshot
    }

    @Test func withAHistoryThePercentilesCoverTheWindow() {
        var view = ViewState()
        view.detail = TaskID(42)
        var snapshot = self.snapshot
        snapshot.history = HistorySpan(
            oldest: 0, newest: 60_000_000_000, bytes: 1 << 20, limitSeconds: 60, limitBytes: 64 << 20)
        let line = String(Rendered(snapshot, view).lines[6].dropFirst(2).dropLast(2)).trimmingTrailingSpaces
        #expect(
            line == "scheduling latency p50 5.0 µs · p90 9.0 µs · p99 35 µs  (queued → run; both in the history window)"
        )
    }

    @Test func wideDetail() {
        var view = ViewState()
        view.detail = TaskID(42)
        let lines = Rendered(snapshot, view).lines
        let rule = String(repeating: "─", count: 73)
        #expect(lines[3] == "┌─ Task t42 echo-conn · times from its spawn " + rule + "─┐")
        let body = lines[4...17].map { String($0.dropFirst(2).dropLast(2)).trimmingTrailingSpaces }
        #expect(
            Array(body) == [
                "running on W0 for 35 µs · awaited by t3 · polls 12 · wakes 11 · busy 350 µs · longest poll 80 µs",
                "poll time          p50 12 µs · p90 30 µs · p99 80 µs",
                "scheduling latency p50 5.0 µs · p90 9.0 µs · p99 35 µs  (queued → run; both since you followed it)",
                "  time        Swift runtime                                                the primer (tokio)",
                "  +0.000 ms   task created: swift_task_create                              tokio::spawn",
                "  +0.005 ms   first job enqueued, 0 ahead                                  scheduled",
                "  +0.012 ms   job run on W1                                                poll",
                "  +0.020 ms   waker stored: fd 12 read                                     register interest",
                "  +0.021 ms   suspended: fd 12 read                                        Pending",
                "  +0.022 ms   job returns after 10 µs on W1                                poll returns",
                "  +1.500 ms   epoll_wait → fd 12 readable                                  kernel notifies",
                "  +1.502 ms   resume → enqueued, 2 ahead                                   Waker.wake()",
                "  +1.537 ms   job run on W1                                                poll",
                "",
            ])
        #expect(lines[37].hasPrefix("└─ following t42 · Esc back · w step through it ─"))
    }

    @Test func parkedTaskWithoutTimelineYet() {
        var view = ViewState()
        view.detail = TaskID(18)
        let lines = Rendered(Fixtures.snapshot, view, width: 80, height: 24).lines
        #expect(
            lines[3] == "│ parked for 10 ms on timer due in 120 ms · handle held, not awaited yet       │",
            "at 80 columns the counts that do not fit are left out whole")
        #expect(lines[4] == "│" + String(repeating: " ", count: 78) + "│")
        #expect(lines[7].hasPrefix("│ recording t18's timeline from now on: waiting for its next event…"))
    }

    /// A task runviz did not start, queued behind an actor: the detail names the actor.
    @Test func aTaskQueuedBehindAnActorNamesIt() {
        var snapshot = Fixtures.snapshot
        var queued = Fixtures.task(18, "Task {}", .parked(.actor(name: 3)), since: Fixtures.now - 10 * Fixtures.ms)
        queued.parkedOn = "actor Inventory"
        snapshot.runtime.tasks[2] = queued
        var view = ViewState()
        view.detail = TaskID(18)
        let lines = Rendered(snapshot, view, width: 80, height: 24).lines
        #expect(lines[3] == "│ parked for 10 ms on actor Inventory · handle held, not awaited yet           │")
    }

    @Test func finishedTask() {
        var view = ViewState()
        view.detail = TaskID(99)
        let lines = Rendered(Fixtures.snapshot, view, width: 80, height: 24).lines
        #expect(lines[3].hasPrefix("│ t99 is no longer in the snapshot: it finished"))
    }

    @Test func timelineShowsTheNewestEntriesThatFit() {
        var long = snapshot
        long.timeline = TaskTimeline(
            task: TaskID(42), name: "echo-conn",
            entries: (0..<40).map {
                .init(time: Fixtures.now + UInt64($0) * 1_000_000, step: .runStarted(worker: $0 % 2))
            })
        var view = ViewState()
        view.detail = TaskID(42)
        let lines = Rendered(long, view, width: 80, height: 24).lines
        #expect(lines[7].hasPrefix("│   +25.000 ms  job run on W1"))
        #expect(lines[21].hasPrefix("│   +39.000 ms  job run on W1"))
        view.detailScroll = 5
        #expect(Rendered(long, view, width: 80, height: 24).lines[21].hasPrefix("│   +34.000 ms  job run on W0"))
    }
}

extension TaskDetailOverlayTests {
    @Test func offsetsPastOneSecondKeepTheirColumn() {
        var long = snapshot
        let start = Fixtures.now - 2_000 * Fixtures.ms
        long.timeline = TaskTimeline(
            task: TaskID(42), name: "echo-conn",
            entries: [
                .init(time: start, step: .spawned),
                .init(time: start + 999_999 * Fixtures.us, step: .runStarted(worker: 0)),
                .init(time: start + 1_250_478 * Fixtures.us, step: .runFinished(worker: 0, nanos: 250 * Fixtures.ms)),
            ])
        var view = ViewState()
        view.detail = TaskID(42)
        let lines = Rendered(long, view, width: 80, height: 24).lines
        #expect(
            Array(lines[6...9]) == [
                "│   time        Swift runtime                        the primer (tokio)        │",
                "│   +0.000 ms   task created: swift_task_create      tokio::spawn              │",
                "│   +999.999 ms job run on W0                        poll                      │",
                "│   +1.250 s    job returns after 250 ms on W0       poll returns              │",
            ])
    }

    @Test func theTitleSaysWhatTheTimesCountFrom() {
        var view = ViewState()
        view.detail = TaskID(42)
        var later = snapshot
        let spawned = Fixtures.now - 2_000 * Fixtures.ms
        later.runtime.tasks[6].spawnedAt = spawned
        later.timeline = TaskTimeline(
            task: TaskID(42), name: "echo-conn",
            entries: [
                .init(time: spawned + 1_250 * Fixtures.ms, step: .fdReady(fd: 13, readiness: .read)),
                .init(time: spawned + 1_251 * Fixtures.ms, step: .runStarted(worker: 0)),
            ])
        #expect(
            Rendered(later, view, width: 80, height: 24).lines[2]
                == "┌─ Task t42 echo-conn · times from the first step seen, 1.3 s after spawn ─────┐")
        #expect(Rendered(later, view, width: 80, height: 24).lines[7].hasPrefix("│   +0.000 ms   epoll_wait"))
        // Once the task is gone from the snapshot its spawn is unknown.
        later.runtime.tasks.remove(at: 6)
        #expect(
            Rendered(later, view, width: 80, height: 24).lines[2].hasPrefix(
                "┌─ Task t42 echo-conn · times from the first step seen ─"))
        // Steps dropped from the front keep the spawn as time 0 when that is where it was.
        later.runtime.tasks = snapshot.runtime.tasks
        later.timeline = snapshot.timeline
        later.timeline?.entries.removeFirst(3)
        later.timeline?.firstIndex = 3
        later.timeline?.origin = Fixtures.now - 10 * Fixtures.ms
        later.runtime.tasks[6].spawnedAt = Fixtures.now - 10 * Fixtures.ms
        #expect(
            Rendered(later, view, width: 80, height: 24).lines[2].hasPrefix(
                "┌─ Task t42 echo-conn · times from its spawn ─"))
    }

    @Test func aFinishedTaskIsTitledByItsLastKnownName() {
        var finished = snapshot
        finished.timeline?.task = TaskID(325)
        finished.timeline?.name = "demo-3"
        var view = ViewState()
        view.detail = TaskID(325)
        let lines = Rendered(finished, view, width: 80, height: 24).lines
        #expect(lines[2].hasPrefix("┌─ Task t325 demo-3 · times from its spawn ─"))
        #expect(lines[3].hasPrefix("│ t325 is no longer in the snapshot: it finished"))
        finished.timeline?.name = "t325"
        #expect(
            Rendered(finished, view, width: 80, height: 24).lines[2].hasPrefix("┌─ Task t325 · times from its spawn ─"))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension TaskDetailOverlayTests {
    @Test func aFinishedTaskStaysWithWhatBecameOfItsHandle() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.tasks.append(
            Fixtures.task(99, "demo-3", .completed, since: Fixtures.now - 2_100 * Fixtures.ms, handle: .dropped))
        var view = ViewState()
        view.detail = TaskID(99)
        #expect(
            Rendered(snapshot, view, width: 120, height: 40).lines[4].hasPrefix(
                "│ done 2.1 s ago · handle dropped unawaited · polls 12 · wakes 11 · busy 350 µs · longest poll 80 µs ")
        )
    }
}

extension TaskDetailOverlayTests {
    /// A wake by another task reads as that task's wake, in both vocabularies.
    @Test func aWakeByAnotherTaskNamesTheWaker() {
        let step = TaskTimeline.Entry.Step.scheduled(source: .task, queuedBehind: 0, by: TaskID(359))
        #expect(step.swiftWords(at: 0, .unicode) == "woken by t359 → enqueued, 0 ahead")
        #expect(step.tokioWords == "Waker.wake()")
        #expect(step.explanation.hasPrefix("t359, waking it, put its job in a run queue"))
    }
}
