// Facts about the frame loop, driven by a scripted terminal and a scripted frame source: every turn
// draws the source's latest frame at the terminal's size; a runtime key becomes a command for the
// source; while paused the source only takes in events and the screen keeps the frame it had; `q`
// ends the loop; so does the stop check.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct DashboardLoopTests {
    /// Frames whose uptime counts the calls, so each drawn screen tells which frame it showed.
    final class CountingSource: FrameSource {
        var frames = 0
        var updates = 0
        var commands: [Command] = []
        func update(now: UInt64) { updates += 1 }
        func frame(now: UInt64) -> DashboardSnapshot {
            frames += 1
            var snapshot = Fixtures.snapshot
            snapshot.runtime.uptimeNanos = UInt64(frames) * 1_000_000_000
            return snapshot
        }
        func apply(_ command: Command) { commands.append(command) }
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
}
