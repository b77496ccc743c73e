// LintsPanel: one warning per row with its explanation; overflow counted.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct LintsPanelTests {
    @Test func oneLint() {
        #expect(
            Rendered().panel(\.lints) == [
                "▲ blocked worker: W1 ran t7 blocker for 1.2 s · "
                    + "blocking code stalls its worker's tasks: use the blocking pool (B)"
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
            Lint(kind: .longPoll, message: "t3 ran 40 ms"), Lint(kind: .starvation, message: "t4 waited 2 s"),
            Lint(kind: .lostWaker, message: "t5 parked on nothing"), Lint(kind: .blockedWorker, message: "W0 stuck"),
        ]
        let rows = Rendered(snapshot, ViewState(ascii: true)).panel(\.lints)
        #expect(
            rows == [
                "! long poll: t3 ran 40 ms | a job that never awaits holds its worker: await, yield, or use the pool",
                "! starvation: t4 waited 2 s | ready tasks wait for a worker: the workers are busy or blocked",
                "! 2 more warnings",
            ])
        let compact = Rendered(snapshot, ViewState(ascii: true), width: 80, height: 24).panel(\.lints)
        #expect(compact == ["! long poll: t3 ran 40 ms | 3 more warnings"])
    }
}
