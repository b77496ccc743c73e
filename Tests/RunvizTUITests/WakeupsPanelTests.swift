// WakeupsPanel: wakeup chains newest first and wakeups per second by source.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct WakeupsPanelTests {
    @Test func wideRowsNewestFirst() {
        #expect(
            Rendered().panel(\.wakeups).prefix(5) == [
                "─ Wakeups per second: io 12.3k · timer 3 · task 1 " + String(repeating: "─", count: 70),
                "fd 17 readable → wake t42 echo-conn → queued (3 ahead) → run on W1 after 35 µs  (2.0 ms ago)",
                "t4 → wake t9 consumer → queued (1 ahead) → run on W1 after 8.0 µs  (4.0 ms ago)",
                "timer → wake t18 sleeper → queued (0 ahead) → run on W0 after 12 µs  (5.0 ms ago)",
                "",
            ])
    }

    @Test func compactRows() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.wakeups) == [
                "─ Wakeups per second: io 12.3k · timer 3 · task 1 " + String(repeating: "─", count: 30),
                "fd 17 R → wake t42 echo-conn → 3 ahead → run on W1 after 35 µs  (2.0 ms ago)",
                "t4 → wake t9 consumer → queued (1 ahead) → run on W1 after 8.0 µs  (4.0 ms ago)",
            ])
    }

    @Test func aLongChainLosesItsAgeThenIsCutWithAnEllipsis() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.wakeups = [
            WakeupChain(
                source: .io, sourceArgument: 1_031, readiness: [.read, .write], task: TaskID(10_042),
                taskName: "a-connection-handler", queuedBehind: 12, worker: 1, latencyNanos: 35_000,
                wokenAt: Fixtures.now - 2 * Fixtures.ms)
        ]
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.wakeups)[1]
                == "fd 1031 RW → wake t10042 a-connection-handler → 12 ahead → run on W1 after 35 µs")
        snapshot.runtime.wakeups[0].taskName = "a-connection-handler-with-a-longer-name"
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.wakeups)[1]
                == "fd 1031 RW → wake t10042 a-connection-handler-with-a-longer-name → 12 ahead → r…")
    }

    @Test func aWakeFromAThreadOfNoTaskNamesTheThread() {
        var snapshot = Fixtures.snapshot
        var chain = WakeupChain(
            source: .other, sourceArgument: ForeignThread.argument(nameID: 3), task: TaskID(12), taskName: "task",
            queuedBehind: 0, worker: 1, latencyNanos: 6_100, wokenAt: Fixtures.now - 2 * Fixtures.ms)
        chain.wakerThread = "NIO-ELT-0-#1"
        snapshot.runtime.wakeups = [chain]
        #expect(
            Rendered(snapshot).panel(\.wakeups)[1]
                == "thread NIO-ELT-0-#1 → wake t12 task → queued (0 ahead) → run on W1 after 6.1 µs  (2.0 ms ago)")
        snapshot.runtime.wakeups[0].wakerThread = nil
        #expect(
            Rendered(snapshot).panel(\.wakeups)[1]
                == "resume → wake t12 task → queued (0 ahead) → run on W1 after 6.1 µs  (2.0 ms ago)")
    }

    /// A wake of no named cause from inside another task's job names that task (a child ending
    /// resumes its parent); one from the task's own job (a hop) is a resume.
    @Test func aWakeFromInsideAnotherTasksJobNamesThatTask() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.wakeups = [
            WakeupChain(
                source: .other, sourceArgument: 575, task: TaskID(573), taskName: "join-demo", queuedBehind: 0,
                worker: 0, latencyNanos: 6_100, wokenAt: Fixtures.now - 2 * Fixtures.ms)
        ]
        #expect(
            Rendered(snapshot).panel(\.wakeups)[1]
                == "t575 → wake t573 join-demo → queued (0 ahead) → run on W0 after 6.1 µs  (2.0 ms ago)")
        snapshot.runtime.wakeups[0].sourceArgument = 573
        #expect(
            Rendered(snapshot).panel(\.wakeups)[1]
                == "resume → wake t573 join-demo → queued (0 ahead) → run on W0 after 6.1 µs  (2.0 ms ago)")
    }

    /// A thread's wake of a task it did not start says what the task waited on: its continuation.
    @Test func aThreadsWakeOfAContinuationSaysSo() {
        var snapshot = Fixtures.snapshot
        var chain = WakeupChain(
            source: .other, sourceArgument: ForeignThread.argument(nameID: 3), task: TaskID(12), taskName: "Task {}",
            queuedBehind: 0, worker: 1, latencyNanos: 6_100, wokenAt: Fixtures.now - 2 * Fixtures.ms)
        chain.wakerThread = "NIO-ELT-0-#1"
        chain.parkedOn = .continuation
        snapshot.runtime.wakeups = [chain]
        #expect(
            Rendered(snapshot, width: 120).panel(\.wakeups)[1]
                == "thread NIO-ELT-0-#1 → wake t12 Task {} (continuation) → queued (0 ahead) → run on W1 after 6.1 µs  (2.0 ms ago)"
        )
        snapshot.runtime.wakeups[0].parkedOn = .actor
        snapshot.runtime.wakeups[0].source = .task
        snapshot.runtime.wakeups[0].sourceArgument = 4
        #expect(
            Rendered(snapshot, width: 120).panel(\.wakeups)[1]
                == "t4 → wake t12 Task {} (actor) → queued (0 ahead) → run on W1 after 6.1 µs  (2.0 ms ago)")
    }

    @Test func otherSourcesAndNoRates() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.wakeupsPerSecond = [:]
        snapshot.runtime.wakeups = [
            WakeupChain(
                source: .spawn, sourceArgument: 0, task: TaskID(5), taskName: "child", queuedBehind: 0, worker: 0,
                latencyNanos: 900, wokenAt: Fixtures.now),
            WakeupChain(
                source: .io, sourceArgument: 9, readiness: [.write, .hangup], task: TaskID(6), taskName: "writer",
                queuedBehind: 1, worker: 1, latencyNanos: 2_000, wokenAt: Fixtures.now),
        ]
        let rows = Rendered(snapshot, ViewState(ascii: true)).panel(\.wakeups)
        #expect(rows[0].hasPrefix("- Wakeups per second: none in the last whole second ---"))
        #expect(
            rows[1]
                == "fd 9 writable+hang-up -> wake t6 writer -> queued (1 ahead) -> run on W1 after 2.0 us  (0 ns ago)")
        #expect(rows[2] == "spawn -> t5 child -> queued (0 ahead) -> run on W0 after 900 ns  (0 ns ago)")
    }
}
