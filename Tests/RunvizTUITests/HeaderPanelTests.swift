// HeaderPanel: configuration, uptime, PAUSED, task and event counts, instrumentation and its cost.

import RunvizObservation
import Testing

@testable import RunvizTUI

@Suite struct HeaderPanelTests {
    @Test func wideHeader() {
        #expect(
            Rendered().panel(\.header) == [
                "runviz │ workers 2 · blocking pool ≤ 512 · blocked ≥ 100 ms │ up 01:23:45",
                "tasks 9 · events 120k/s · dropped 0 · instr on 85 ns/job · UI CPU 1.5% · finished 1,234",
                "last: join demo started",
            ])
    }

    @Test func theLastActionHasARowOfItsOwnAt120Columns() {
        var snapshot = Fixtures.snapshot
        snapshot.demos.lastAction =
            "lock demo: 18 tasks hold the async mutex across an await — waiters park, workers stay free"
        #expect(
            Rendered(snapshot).panel(\.header)[2]
                == "last: lock demo: 18 tasks hold the async mutex across an await — waiters park, workers stay free")
        snapshot.demos.lastAction = nil
        #expect(Rendered(snapshot).panel(\.header)[2] == "last: no demo run yet (? lists the keys)")
    }

    @Test func aGlobalExecutorsHeaderSaysMainActorCodeIsOffScreen() {
        var snapshot = Fixtures.snapshot
        snapshot.demos.lastAction = nil
        snapshot.runtime.configuration.globalExecutor = true
        #expect(
            Rendered(snapshot).panel(\.header)[2]
                == "global executor: every task of this program runs here · @MainActor code runs off screen "
                + "(Dispatch's main queue)")
    }

    @Test func compactHeaderLeavesOutWholeItems() {
        var snapshot = Fixtures.snapshot
        snapshot.demos.lastAction = nil
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.header) == [
                "runviz │ workers 2 · blocking pool ≤ 512 · blocked ≥ 100 ms │ up 01:23:45",
                "tasks 9 · events 120k/s · dropped 0 · instr on 85 ns/job · UI CPU 1.5%",
            ])
    }

    @Test func compactHeaderMakesRoomForTheLastAction() {
        var snapshot = Fixtures.snapshot
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.header)[0]
                == "runviz │ workers 2 · blocked ≥ 100 ms │ up 01:23:45 │ last: join demo started")
        snapshot.runtime.configuration.maxBlockingThreads = 4
        #expect(
            Rendered(snapshot, width: 100, height: 24).panel(\.header)[0]
                == "runviz │ workers 2 · blocking pool ≤ 4 · blocked ≥ 100 ms │ up 01:23:45 │ last: join demo started")
        snapshot.demos.lastAction = "t33 blocker calls usleep(2 s) inside async: its worker is BLOCKED"
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.header)[0]
                == "runviz │ workers 2 │ up 01:23:45 │ last: t33 blocker calls usleep(2 s) inside a…",
            "the worker count is the runtime's configuration: it stays")
    }

    @Test func pausedIsMarkedFirstInTheWarningStyle() {
        var view = ViewState()
        view.paused = true
        let rendered = Rendered(Fixtures.snapshot, view, width: 80, height: 24)
        #expect(rendered.lines[0] == "runviz PAUSED │ workers 2 │ up 01:23:45 │ last: join demo started")
        #expect(rendered.screen[7, 0].style == .warning)
    }

    @Test func droppedEventsAndInstrumentationStates() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.totals.droppedEvents = 4_321
        snapshot.instrumentationCostNanos = nil
        let rendered = Rendered(snapshot)
        #expect(
            rendered.lines[1]
                == "tasks 9 · events 120k/s · dropped 4,321 · instr on (cost not measured) · UI CPU 1.5%"
                + " · finished 1,234"
        )
        let dropped = rendered.lines[1].distance(
            from: rendered.lines[1].startIndex, to: rendered.lines[1].firstRange(of: "dropped")!.lowerBound)
        #expect(rendered.screen[dropped, 1].style == .warning)
        snapshot.runtime.configuration.instrumentation = false
        #expect(Rendered(snapshot).lines[1].contains("dropped 4,321 · instr off · UI CPU"))
    }

    @Test func aRecordingIsMarkedWithItsSizeAndItsDrops() {
        var snapshot = Fixtures.snapshot
        snapshot.recording = RecordingStatus(path: "/tmp/x.rec", bytes: 3 << 20, observations: 40)
        let header = Rendered(snapshot).panel(\.header)
        #expect(header[0] == "runviz ● REC │ workers 2 · blocking pool ≤ 512 · blocked ≥ 100 ms │ up 01:23:45")
        #expect(header[1].hasSuffix(" · rec 3.0 MiB"), "\(header[1])")
        snapshot.recording?.droppedObservations = 7
        #expect(Rendered(snapshot).panel(\.header)[1].hasSuffix(" · rec 3.0 MiB dropped 7"))
        snapshot.recording?.failure = "cannot write /tmp/x.rec: No space left on device"
        #expect(Rendered(snapshot).panel(\.header)[1].hasSuffix(" · rec failed"))
    }

    @Test func aReplaySaysWhereInTheRecordingItIs() {
        var snapshot = Fixtures.snapshot
        snapshot.replay = ReplayPosition(path: "/tmp/x.rec", at: 83_000_000_000, ended: false)
        #expect(
            Rendered(snapshot).panel(\.header)[0]
                == "runviz REPLAY 00:01:23 │ workers 2 · blocking pool ≤ 512 · blocked ≥ 100 ms │ up 01:23:45")
        snapshot.replay?.ended = true
        #expect(Rendered(snapshot).panel(\.header)[0].hasPrefix("runviz REPLAY 00:01:23 (end) │"))
    }
}
