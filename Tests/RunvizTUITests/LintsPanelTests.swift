// LintsPanel: one warning per row with its explanation; overflow counted. Each lint worded from its
// numbers: live and past, on a lock, a lost waker's park reason.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct LintsPanelTests {
    let ms: UInt64 = 1_000_000
    let s: UInt64 = 1_000_000_000

    @Test func oneLint() {
        #expect(
            Rendered().panel(\.lints) == [
                "▲ blocked worker: W1 blocked 1.2 s by t7 blocker · "
                    + "move blocking calls to spawnBlocking (B), yield in long loops"
            ])
    }

    @Test func noLints() {
        var snapshot = Fixtures.snapshot
        snapshot.lints = []
        #expect(Rendered(snapshot).panel(\.lints) == ["no warnings"])
    }

    @Test func overflowIsCounted() {
        var snapshot = Fixtures.snapshot
        snapshot.lints = [
            Lint(kind: .longPoll, task: TaskID(3), nanos: 40 * ms),
            Lint(kind: .starvation, task: TaskID(4), nanos: 2 * s),
            Lint(kind: .lostWaker, task: TaskID(5), nanos: 3 * s), Lint(kind: .blockedWorker, worker: 0, nanos: 4 * s),
        ]
        let rows = Rendered(snapshot, ViewState(ascii: true)).panel(\.lints)
        #expect(
            rows == [
                "! blocked worker: W0 blocked 4.0 s | move blocking calls to spawnBlocking (B), yield in long loops",
                "! long poll: t3 has run 40 ms without yielding | "
                    + "a job that never awaits holds its worker: await, yield, or use the pool",
                "! 2 more warnings",
            ])
        let compact = Rendered(snapshot, ViewState(ascii: true), width: 80, height: 24).panel(\.lints)
        #expect(compact == ["! W0 blocked 4.0 s | use spawnBlocking (B) or yield | 3 more warnings"])
    }

    /// The second after `b` with one worker: the blocker's lints, and one starvation lint for each of
    /// 30 connections that queued behind it. The cause and its advice come first; the 30 are one row;
    /// the long poll is the blocked worker's own fact, not a row of its own.
    @Test func theTasksOneCauseStarvedAreOneRowUnderTheCause() {
        var snapshot = Fixtures.snapshot
        snapshot.lints =
            (0..<30).map { i in
                Lint(
                    kind: .starvation, task: TaskID(UInt64(10 + i)), taskName: "echo-conn",
                    nanos: 1_700 * ms + UInt64(i) * ms, endedAgoNanos: 1_200 * ms + UInt64(i) * ms)
            } + [
                Lint(kind: .longPoll, task: TaskID(223), taskName: "blocker", nanos: 2 * s, endedAgoNanos: 1_100 * ms),
                Lint(
                    kind: .blockedWorker, task: TaskID(223), taskName: "blocker", worker: 0, nanos: 2 * s,
                    endedAgoNanos: 1_100 * ms),
            ]
        #expect(
            Rendered(snapshot).panel(\.lints) == [
                "▲ blocked worker: W0 was blocked 2.0 s by t223 blocker (ended 1.1 s ago) · "
                    + "use spawnBlocking (B) or yield",
                "▲ starvation: echo-conn tasks waited up to 1.7 s in the ready queue (latest 1.2 s ago) · "
                    + "the workers are busy or blocked",
            ])
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.lints) == [
                "▲ W0 was blocked 2.0 s by t223 blocker (ended 1.1 s ago) · 1 more warning"
            ])
    }

    /// Held now comes before ended; several live ones of a name say "have".
    @Test func whatHoldsNowComesFirst() {
        let groups = LintGroup.groups([
            Lint(kind: .blockedWorker, task: TaskID(1), taskName: "old", worker: 0, nanos: s, endedAgoNanos: s),
            Lint(kind: .starvation, task: TaskID(2), taskName: "echo-conn", nanos: 20 * ms),
            Lint(kind: .starvation, task: TaskID(3), taskName: "echo-conn", nanos: 30 * ms),
        ])
        #expect(groups.map(\.count) == [2, 1])
        #expect(groups[0].message(.unicode) == "echo-conn tasks have waited up to 30 ms in the ready queue")
    }

    @Test func eachLintIsWordedFromItsNumbers() {
        let glyphs = Glyphs.ascii
        let lock = Lint(
            kind: .blockedWorker, task: TaskID(7), taskName: "locker", worker: 1, nanos: 25 * ms, onLock: true)
        #expect(lock.message(glyphs) == "W1 blocked 25 ms on a blocking lock in t7 locker")
        #expect(lock.explanation == "a blocking lock stalls its worker's tasks: use the async mutex across awaits")
        let lost = Lint(kind: .lostWaker, task: TaskID(5), taskName: "stuck", nanos: 2 * s, parkReason: .other)
        #expect(lost.message(glyphs) == "t5 stuck parked 2.0 s on other")
        let blockedBefore = Lint(
            kind: .blockedWorker, task: TaskID(7), worker: 0, nanos: 1_500 * ms, endedAgoNanos: 3 * s)
        #expect(blockedBefore.message(glyphs) == "W0 was blocked 1.5 s by t7 (ended 3.0 s ago)")
        var lockBefore = lock
        lockBefore.endedAgoNanos = 3 * s
        #expect(lockBefore.message(glyphs) == "W1 was blocked 25 ms on a blocking lock in t7 locker (ended 3.0 s ago)")
        #expect(lockBefore.explanation == lock.explanation)
        let longPollBefore = Lint(
            kind: .longPoll, task: TaskID(3), taskName: "spinner", worker: 1, nanos: 150 * ms, endedAgoNanos: 5_400)
        #expect(longPollBefore.message(glyphs) == "t3 spinner ran 150 ms without yielding (5.4 us ago)")
        let starvedBefore = Lint(
            kind: .starvation, task: TaskID(31), taskName: "hungry", worker: 0, nanos: 70 * ms, endedAgoNanos: 10 * ms)
        #expect(starvedBefore.message(glyphs) == "t31 hungry waited 70 ms in the ready queue (10 ms ago)")
    }

    @Test func aRowTooNarrowForTheLessonKeepsTheFacts() {
        var snapshot = Fixtures.snapshot
        snapshot.lints = [
            Lint(
                kind: .blockedWorker, task: TaskID(109), taskName: "lock-blocking-0", worker: 1, nanos: 201_000_000,
                endedAgoNanos: 6_900_000, onLock: true)
        ]
        let row = Rendered(snapshot).panel(\.lints)[0]
        #expect(
            row
                == "▲ blocked worker: W1 was blocked 201 ms on a blocking lock in t109 lock-blocking-0 (ended 6.9 ms ago)"
        )
    }
}
