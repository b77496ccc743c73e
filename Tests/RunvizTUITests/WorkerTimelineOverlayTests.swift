// The worker timeline overlay (`T`), drawn from a constructed timeline: exact lines at 120×40 and
// 80×24 and in ASCII — rows per worker and blocking-pool thread, task letters from the legend,
// BLOCKED as a solid run, wakeup marks under their cells, the cursor's line naming the job, its
// length and what scheduled it — and the keys that zoom, pan and move the cursor.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct WorkerTimelineOverlayTests {
    static let ms: UInt64 = 1_000_000
    static let now = Fixtures.now

    /// W0 waits in epoll_wait but for a 30 ms job of t42 echo-conn that fd 17 woke; W1 is held by
    /// t9 blocker from 800 ms before the end; pool thread 1 ran a 200 ms job for t7 offloader.
    static func timeline(columns: Int) -> WorkerTimeline {
        let end = now
        let from = end - UInt64(columns) * 10 * ms
        func at(_ before: UInt64) -> UInt64 { end - before * ms }
        var b = WorkerTimelineBuilder(
            from: from, to: end, columns: columns, workers: 2, blockedThresholdNanos: 100 * ms)
        var counters = CounterReading.idle(workers: 2)
        counters.workers[0].activity = .parkedInDriver
        counters.workers[1].activity = .parked
        b.seed(counters, at: from - ms)
        let events = [
            RuntimeEvent(time: at(600), kind: .fdReady, task: 42, detail: 1, arg: 17),
            RuntimeEvent(
                time: at(600), kind: .scheduled, task: 42, worker: 0, detail: UInt16(WakeSource.io.rawValue), arg: 17),
            RuntimeEvent(time: at(600), kind: .workerUnparked, worker: 0),
            RuntimeEvent(time: at(600), kind: .runStarted, task: 42, worker: 0),
            RuntimeEvent(time: at(570), kind: .runFinished, task: 42, worker: 0),
            RuntimeEvent(time: at(570), kind: .workerParked, worker: 0, detail: 1),
            RuntimeEvent(time: at(500), kind: .blockingStarted, task: 7, arg: 1, extra: 1),
            RuntimeEvent(time: at(300), kind: .blockingFinished, task: 7, arg: 1, extra: 1),
            RuntimeEvent(
                time: at(810), kind: .scheduled, task: 9, worker: 1, detail: UInt16(WakeSource.spawn.rawValue)),
            RuntimeEvent(time: at(800), kind: .workerUnparked, worker: 1),
            RuntimeEvent(time: at(800), kind: .runStarted, task: 9, worker: 1),
            RuntimeEvent(time: at(700), kind: .workerBlocked, task: 9, worker: 1, arg: at(800)),
        ]
        for e in events { b.take(e) }
        let names: [UInt64: String] = [42: "echo-conn", 9: "blocker", 7: "offloader"]
        return b.finish { names[$0] ?? "" }
    }

    static func render(_ view: ViewState, width: Int, height: Int) -> [String] {
        let timeline = timeline(columns: WorkerTimelineOverlay.columns(width: width))
        return Dashboard.render(Fixtures.snapshot, view, width: width, height: height, timeline: timeline).lines()
    }

    static func open(ascii: Bool = false) -> ViewState {
        var view = ViewState(ascii: ascii)
        view.timeline = WorkerTimelineView()
        return view
    }

    @Test func wide() {
        var view = Self.open()
        view.timeline?.row = 1
        view.timeline?.column = 40
        let lines = Self.render(view, width: 120, height: 40)
        #expect(
            Array(lines.prefix(8)) == [
                "Worker timeline  10 ms per column · 1.1 s on screen · to 5025.00 s (live)",
                "      5023.9 s  5024.0 s  5024.1 s  5024.2 s  5024.3 s  5024.4 s  5024.5 s  5024.6 s  5024.7 s  5024.8 s  5024.9 s  5025",
                "      |─────────|─────────|─────────|─────────▼─────────|─────────|─────────|─────────|─────────|─────────|─────────|───",
                "W0    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~CCC~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "                                                            ↑",
                "W1    ··································████████████████████████████████████████████████████████████████████████████████",
                "                                       ↑",
                "blk1                                                                  BBBBBBBBBBBBBBBBBBBB······························",
            ])
        #expect(lines[8..<35].allSatisfy { $0.isEmpty })
        #expect(
            Array(lines.suffix(5)) == [
                "▶ W1 5024.26 s: BLOCKED t9 blocker ran 800 ms from 5024.20 s, still going (over 100 ms), scheduled by spawn",
                "A t9 blocker BLOCKED  B t7 offloader  C t42 echo-conn",
                "",
                "A task  · parked  ~ epoll_wait  - searching  █ BLOCKED  ↑ wakeup",
                "+ - zoom  ← → cell  ↑↓ thread  [ ] pan  space pause  Esc T close",
            ])
    }

    @Test func aSpellWhoseStartWasNotReadSaysSo() {
        var view = Self.open()
        view.timeline?.row = 1
        view.timeline?.column = 10
        #expect(Self.render(view, width: 120, height: 40)[35] == "▶ W1 5023.96 s: parked since before the events read")
    }

    @Test func theTitleSaysWhereTheWindowEnds() {
        var view = Self.open()
        #expect(Self.render(view, width: 120, height: 40)[0].hasSuffix("to 5025.00 s (live)"))
        view.paused = true
        #expect(Self.render(view, width: 120, height: 40)[0].hasSuffix("to 5025.00 s (paused)"))
        view.cursor = Self.now
        #expect(Self.render(view, width: 120, height: 40)[0].hasSuffix("to 5025.00 s (rewound)"))
    }

    @Test func labelsAreUptimeAndNegativeBeforeTheStart() {
        let origin: UInt64 = 50_000_000_000
        #expect(WorkerTimelineOverlay.seconds(origin + 12_345_000_000, origin, 10 * Self.ms) == "12.35 s")
        #expect(WorkerTimelineOverlay.seconds(origin - 2_500_000_000, origin, 100 * Self.ms) == "-2.5 s")
        #expect(WorkerTimelineOverlay.seconds(origin + 1_000_000, origin, 10_000) == "0.00100 s")
    }

    @Test func narrow() {
        var view = Self.open()
        view.timeline?.column = 54
        let lines = Self.render(view, width: 80, height: 24)
        #expect(
            Array(lines.prefix(8)) == [
                "Worker timeline  10 ms per column · 740 ms on screen · to 5025.00 s (live)",
                "      5024.3 s  5024.4 s  5024.5 s  5024.6 s  5024.7 s  5024.8 s  5024.9 s  5025",
                "      |─────────|─────────|─────────|─────────|─────────|───▼─────|─────────|───",
                "W0    ~~~~~~~~~~~~~~CCC~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "                    ↑",
                "W1    ██████████████████████████████████████████████████████████████████████████",
                "",
                "blk1                          BBBBBBBBBBBBBBBBBBBB······························",
            ])
        #expect(lines[8..<19].allSatisfy { $0.isEmpty })
        #expect(
            Array(lines.suffix(5)) == [
                "▶ W0 5024.80 s: in epoll_wait for 570 ms from 5024.43 s, still going",
                "A t9 blocker BLOCKED  B t7 offloader  C t42 echo-conn",
                "",
                "A task  · parked  ~ epoll_wait  - searching  █ BLOCKED  ↑ wakeup",
                "+ - zoom  ← → cell  ↑↓ thread  [ ] pan  space pause  Esc T close",
            ])
    }

    @Test func ascii() {
        var view = Self.open(ascii: true)
        view.timeline?.row = 2
        view.timeline?.column = 60
        let lines = Self.render(view, width: 80, height: 24)
        #expect(
            Array(lines.prefix(8)) == [
                "Worker timeline  10 ms per column | 740 ms on screen | to 5025.00 s (live)",
                "      5024.3 s  5024.4 s  5024.5 s  5024.6 s  5024.7 s  5024.8 s  5024.9 s  5025",
                "      |---------|---------|---------|---------|---------|---------v---------|---",
                "W0    ~~~~~~~~~~~~~~CCC~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "                    ^",
                "W1    ##########################################################################",
                "",
                "blk1                          BBBBBBBBBBBBBBBBBBBB..............................",
            ])
        #expect(lines[8..<19].allSatisfy { $0.isEmpty })
        #expect(
            Array(lines.suffix(5)) == [
                "> blk1 5024.86 s: waiting for a job for 300 ms from 5024.70 s, still going",
                "A t9 blocker BLOCKED  B t7 offloader  C t42 echo-conn",
                "",
                "A task  . parked  ~ epoll_wait  - searching  # BLOCKED  ^ wakeup",
                "+ - zoom  Left Right cell  Up/Dn thread  [ ] pan  space pause  Esc T close",
            ])
        #expect(lines.allSatisfy { $0.isASCIIOnly })
    }
}

/// The overlay's keys: `T` opens and closes it (Esc too), `+`/`-` zoom by steps within the scales,
/// arrows move the cursor within the columns, `[`/`]` pan by half a screen, and the runtime keys
/// still reach the runtime.
@Suite struct WorkerTimelineKeysTests {
    func press(_ keys: [Key], _ view: inout ViewState, width: Int = 120) -> [Effect] {
        keys.flatMap {
            view.handle($0, snapshot: Fixtures.snapshot, lessons: LessonCatalog(), width: width, height: 40)
        }
    }

    @Test func tOpensAndClosesItAndEscClosesIt() {
        var view = ViewState()
        _ = press([.character("T")], &view)
        #expect(view.timeline == WorkerTimelineView())
        _ = press([.character("T")], &view)
        #expect(view.timeline == nil)
        _ = press([.character("T"), .escape], &view)
        #expect(view.timeline == nil)
    }

    @Test func zoomStepsThroughTheScalesAndStopsAtTheirEnds() {
        var view = ViewState()
        _ = press([.character("T"), .character("+")], &view)
        #expect(view.timeline?.nanosPerColumn == 5_000_000)
        _ = press([.character("-"), .character("-"), .character("-")], &view)
        #expect(view.timeline?.nanosPerColumn == 50_000_000)
        _ = press(Array(repeating: .character("-"), count: 20), &view)
        #expect(view.timeline?.nanosPerColumn == 500_000_000)
        _ = press(Array(repeating: .character("+"), count: 20), &view)
        #expect(view.timeline?.nanosPerColumn == 10_000)
    }

    @Test func theCursorStaysInTheColumnsAndPanningMovesTheWindow() throws {
        var view = ViewState()
        _ = press([.character("T"), .left, .left, .right], &view)
        #expect(view.timeline?.column == 112, "from the newest of 114 columns")
        _ = press([.right, .right, .down, .down, .up], &view)
        #expect(view.timeline?.column == 113)
        #expect(view.timeline?.row == 1)
        _ = press([.character("["), .character("[")], &view)
        let open = try #require(view.timeline)
        #expect(open.pan == 1_140_000_000)
        #expect(open.range(end: 5_000_000_000, columns: 114) == (2_720_000_000, 3_860_000_000))
        #expect(
            WorkerTimelineView().range(end: 5_003_000_000, columns: 100) == (4_000_000_000, 5_000_000_000),
            "the end falls on a column boundary")
        _ = press([.character("]"), .character("]"), .character("]")], &view)
        #expect(view.timeline?.pan == 0)
    }

    @Test func runtimeKeysWorkWithItOpen() {
        var view = ViewState()
        #expect(press([.character("T"), .character("b")], &view) == [.command(.blockWorker)])
        #expect(view.timeline != nil)
    }
}
