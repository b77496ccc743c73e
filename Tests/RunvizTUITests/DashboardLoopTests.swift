// Facts about the frame loop, driven by a scripted terminal and a scripted frame source: every turn
// draws the source's latest frame at the terminal's size; a runtime key becomes a command for the
// source; while paused the source only takes in events and the screen keeps the frame it had; `q`
// ends the loop; so does the stop check.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct DashboardLoopTests {
    /// Frames whose uptime counts the calls, so each drawn screen tells which frame it showed:
    /// frame n is taken at n seconds, and the history holds every frame so far.
    final class CountingSource: FrameSource {
        var frames = 0
        var updates = 0
        var rebuilt: [UInt64] = []
        var commands: [Command] = []
        func update(now: UInt64) { updates += 1 }
        func frame(now: UInt64) -> DashboardSnapshot {
            frames += 1
            return numbered(frames)
        }
        func numbered(_ n: Int) -> DashboardSnapshot {
            var snapshot = Fixtures.snapshot
            snapshot.runtime.uptimeNanos = UInt64(n) * 1_000_000_000
            snapshot.runtime.takenAt = UInt64(n) * 1_000_000_000
            snapshot.history = history
            if !followed.isEmpty { snapshot.timeline = followed[min(n, followed.count) - 1] }
            return snapshot
        }
        /// The followed task's timeline in frame n (the last one for every later frame).
        var followed: [TaskTimeline?] = []
        func frame(at instant: UInt64) -> DashboardSnapshot? {
            rebuilt.append(instant)
            return numbered(Int(instant / 1_000_000_000))
        }
        /// When set, the history slides: it ends at the instant of the last frame or update (one a
        /// second) and holds this many seconds, as a live window does while the view is rewound.
        var window: UInt64?
        var history: HistorySpan? {
            var newest = UInt64(max(1, frames))
            var oldest: UInt64 = 1
            if let window {
                newest = UInt64(max(1, frames + updates))
                oldest = max(1, newest - min(newest, window))
            }
            return HistorySpan(
                oldest: oldest * 1_000_000_000, newest: newest * 1_000_000_000, bytes: 1 << 20,
                limitSeconds: 60, limitBytes: 64 << 20)
        }
        func apply(_ command: Command) { commands.append(command) }
        /// The ranges the loop asked a worker timeline for; `timeline` is what it gets.
        var timelineRequests: [(from: UInt64, to: UInt64, columns: Int)] = []
        var timeline: WorkerTimeline?
        func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
            timelineRequests.append((from, to, columns))
            return timeline
        }
    }

    /// Hands out the scripted keys one per turn (nil: no key this turn), then `q`.
    final class ScriptedTerminal: DashboardTerminal {
        var keys: [Key?]
        var drawn: [Screen] = []
        init(_ keys: [Key?]) { self.keys = keys }
        var size: (width: Int, height: Int) { (120, 40) }
        func draw(_ frame: Screen) { drawn.append(frame) }
        func readKey(timeoutMillis: Int) -> Key? { keys.isEmpty ? .character("q") : keys.removeFirst() }
    }

    func run(_ keys: [Key?], until stop: @escaping () -> Bool = { false }) -> (CountingSource, ScriptedTerminal) {
        let source = CountingSource()
        let terminal = ScriptedTerminal(keys)
        var view = ViewState()
        DashboardLoop(source: source, terminal: terminal, lessons: LessonCatalog(), fps: 10, clock: { 0 })
            .run(&view, until: stop)
        return (source, terminal)
    }

    /// Which frame each drawn screen showed, read from the uptime in its header.
    func framesShown(_ terminal: ScriptedTerminal) -> [Int] {
        terminal.drawn.map { screen in
            let header = screen.lines()[0]
            return (1...20).first { header.contains("up \(Format.clock(UInt64($0) * 1_000_000_000))") } ?? 0
        }
    }

    @Test func eachTurnDrawsTheLatestFrameAndQuitEndsTheLoop() {
        let (source, terminal) = run([nil, nil])
        #expect(source.frames == 3)
        #expect(framesShown(terminal) == [1, 2, 3])
        #expect(source.commands.isEmpty, "quitting is the view's business, not the source's")
    }

    @Test func aRuntimeKeyBecomesACommandForTheSource() {
        let (source, _) = run([.character("s"), .character("i")])
        #expect(source.commands == [.spawnTasks(count: 1), .toggleInstrumentation])
    }

    @Test func theWorkerTimelineKeyAsksTheSourceForTheWindowAndDrawsIt() {
        let source = CountingSource()
        var builder = WorkerTimelineBuilder(
            from: 0, to: 1_140_000_000, columns: 114, workers: 1, blockedThresholdNanos: 10_000_000)
        builder.take(RuntimeEvent(time: 100_000_000, kind: .runStarted, task: 9, worker: 0))
        source.timeline = builder.finish { _ in "blocker" }
        let terminal = ScriptedTerminal([.character("T"), nil, .character("T")])
        var view = ViewState()
        DashboardLoop(source: source, terminal: terminal, lessons: LessonCatalog(), fps: 10, clock: { 0 })
            .run(&view)
        // Turns 2 and 3 (frames at 2 s and 3 s) have it open: a window of 114 columns of 10 ms ending at the frame.
        #expect(source.timelineRequests.map(\.to) == [2_000_000_000, 3_000_000_000])
        #expect(source.timelineRequests.map(\.from) == [860_000_000, 1_860_000_000])
        #expect(source.timelineRequests.allSatisfy { $0.columns == 114 })
        #expect(terminal.drawn.map { $0.lines()[0].hasPrefix("Worker timeline") } == [false, true, true, false])
        #expect(
            terminal.drawn[1].lines()[3] == "W0    " + String(repeating: " ", count: 10)
                + String(repeating: "█", count: 104))
        #expect(terminal.drawn[1].lines()[36] == "A t9 blocker BLOCKED")
    }

    @Test func aPausedWorkerTimelineIsAskedForOnce() {
        let source = CountingSource()
        let terminal = ScriptedTerminal([.character("T"), .space, nil, nil])
        var view = ViewState()
        DashboardLoop(source: source, terminal: terminal, lessons: LessonCatalog(), fps: 10, clock: { 0 })
            .run(&view)
        #expect(source.timelineRequests.map(\.to) == [2_000_000_000], "the window did not move")
        #expect(terminal.drawn.count == 5)
        #expect(terminal.drawn[4].lines()[3].hasPrefix("  No events held"))
    }

    @Test func whilePausedTheScreenKeepsItsFrame() {
        let (source, terminal) = run([.space, nil, nil, .space, nil])
        #expect(source.frames == 3, "paused turns build no frame")
        #expect(source.updates == 3, "but still take in what happened")
        #expect(framesShown(terminal) == [1, 1, 1, 1, 2, 3])
    }

    @Test func theStopCheckEndsTheLoop() {
        var turns = 0
        let (source, terminal) = run(Array(repeating: nil, count: 100)) {
            turns += 1
            return turns > 2
        }
        #expect(source.frames == 2)
        #expect(terminal.drawn.count == 2)
    }

    @Test func theRewindKeysShowTheFrameOfTheCursorRebuiltOncePerMoveAndEndGoesLive() {
        let (source, terminal) = run([nil, nil, .character("{"), nil, .character("{"), .end, nil])
        #expect(framesShown(terminal) == [1, 2, 3, 2, 2, 1, 4, 5])
        #expect(source.rebuilt == [2_000_000_000, 1_000_000_000], "one rebuild per cursor move")
        #expect(source.frames == 5)
        let headers = terminal.drawn.map { $0.lines()[0] }
        #expect(headers[0].contains("runviz LIVE"))
        // Rewound 1 s from the newest frame (3 s) while 3 frames are held; a turn later the window holds the same.
        #expect(headers[3].contains("runviz ◀ -1.0 s of 2.0 s"), "\(headers[3])")
        #expect(headers[5].contains("runviz ◀ -2.0 s of 2.0 s"), "\(headers[5])")
        #expect(headers[6].contains("runviz LIVE"))
    }

    @Test func aRewoundViewRidesTheOldestEdgeOfAMovingWindow() {
        // A 2 s window that moves on a second a turn while the view is rewound to its oldest instant.
        let source = CountingSource()
        source.window = 2
        let terminal = ScriptedTerminal([nil, nil, nil, .character("{"), .character("{"), .character("{"), nil])
        var view = ViewState()
        DashboardLoop(source: source, terminal: terminal, lessons: LessonCatalog(), fps: 10, clock: { 0 })
            .run(&view)
        #expect(
            source.rebuilt == [3, 4, 5, 6].map { $0 * 1_000_000_000 },
            "the frame of the oldest instant held, each time the window moves")
        let headers = terminal.drawn.dropFirst(4).map { $0.lines()[0] }
        #expect(headers.count == 4)
        #expect(headers.allSatisfy { $0.hasPrefix("runviz ◀ -2.0 s of 2.0 s") }, "\(headers)")
    }

    @Test func aStepWalkBeginsOnTheFirstFrameThatCarriesItsWakeup() {
        // Opened after the task's first job; its next wakeup (fd 12 ready) arrives in frame 3.
        var early = Fixtures.timeline
        early.entries.removeLast(3)
        let source = CountingSource()
        source.followed = [early, early, Fixtures.timeline]
        let terminal = ScriptedTerminal([nil, nil, nil])
        var view = ViewState()
        view.step = StepState(task: TaskID(42), start: .nextWakeup(after: early.entries.last!.time))
        DashboardLoop(source: source, terminal: terminal, lessons: LessonCatalog(), fps: 10, clock: { 0 })
            .run(&view)
        let titles = terminal.drawn.map { $0.lines().first { $0.contains("Step mode") } ?? "" }
        #expect(titles.map { $0.contains("waiting for its next wakeup") } == [true, true, false, false])
        #expect(titles.map { $0.contains("step 7 of 9") } == [false, false, true, true])
        #expect(view.step == StepState(task: TaskID(42), index: 6))
    }

    @Test func rewindingStopsAtTheOldestInstantHeld() {
        let (source, _) = run([nil, nil, .character("{"), .character("{"), .character("{"), .home])
        #expect(source.rebuilt == [2_000_000_000, 1_000_000_000])
    }
}
