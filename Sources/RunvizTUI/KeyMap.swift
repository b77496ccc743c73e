// Which key does what, in which view. The keys are fixed (docs/keys.md and the lessons quote them):
//
//   s / S      spawn 1 / 100 tasks                 b / B   block a worker / same work on the blocking pool
//   c / C      add / remove 10 synthetic clients   a       join demo (async let)
//   m / M      lock demo: blocking lock / async mutex
//   n          channel demo                        t       server mode tasks <-> threads
//   f          futures-are-lazy demo               i       instrumentation (event recording) on/off
//   space      pause the view (step mode: next step; lesson: next page); while rewound: back to live
//   [ / ]      back / forward 100 ms in the history  { / }  back / forward 1 s   Home / End  oldest / live
//   Tab / S-Tab focus next / previous panel        arrows, j / k, PgUp / PgDn: selection, or scroll an overlay
//   Enter      task detail of the selected row     w       step mode on the selected task (End: latest step)
//   Esc        leave help / lesson / step / detail L       lesson for the last demo or the focused panel
//   o          order the Parked tasks list          /       filter it (type, Enter keeps, Esc clears)
//   ?          help                                q, Ctrl-C quit
//   T          worker timeline; in it + / - zoom, arrows cursor, [ / ] pan, Esc or T close
//
// Modal keys are looked up first (help, then lesson, then step mode, then detail), then the
// runtime keys, which work everywhere except under help (with a lesson open too, so a lesson's
// "press X" can be done while reading it). Runtime keys act on runviz's own demo runtime; a
// program with runviz as its global executor takes none, and the legend and help omit them there.

import RunvizObservation

enum KeyMap {
    /// The action `key` means in `view`, or nil when the key does nothing there.
    static func action(for key: Key, in view: ViewState) -> Action? {
        if key == .interrupt { return .quit }
        if view.editingFilter {
            switch key {
            case .character(let c): return .filterInput(c)
            case .backspace: return .filterBackspace
            case .enter: return .endFilter(keep: true)
            case .escape: return .endFilter(keep: false)
            default: return nil
            }
        }
        if key == .character("q") { return .quit }
        if key == .resize { return nil }
        if view.helpOpen {
            return key == .escape || key == .character("?") ? .toggleHelp : nil
        }
        if view.lesson != nil { return lessonAction(for: key) }
        if view.timeline != nil { return timelineAction(for: key) ?? globalAction(for: key) }
        if view.step != nil {
            switch key {
            case .space, .right, .character("w"): return .nextStep
            case .left: return .previousStep
            case .end: return .latestStep
            case .escape: return .leave
            default: break
            }
        } else if view.detail != nil {
            switch key {
            case .escape: return .leave
            case .character("w"): return .stepMode
            case .space: return .togglePause
            default: if let move = scrollAction(for: key) ?? timeAction(for: key) { return move }
            }
        } else {
            switch key {
            case .tab: return .focusNext
            case .backtab: return .focusPrevious
            case .enter: return .openDetail
            case .character("w"): return .stepMode
            case .space: return .togglePause
            default: if let move = scrollAction(for: key) ?? timeAction(for: key) { return move }
            }
        }
        return globalAction(for: key)
    }

    /// Whether keys that act on a runtime (`.command`s) do anything for the runtime `snapshot`
    /// shows. They act on runviz's own demo runtime (`launch`, `serve`); a runtime that is its
    /// process's global executor runs a program of its own, which takes no commands, so the legend
    /// and the help leave them out there.
    static func runtimeKeysAct(on snapshot: DashboardSnapshot) -> Bool {
        !snapshot.runtime.configuration.globalExecutor
    }

    /// The help's lines for a runtime the keys that act on it do (`runtimeKeys`) or do not reach:
    /// without them, the lines whose every key is such a command are left out.
    static func bindings(_ glyphs: Glyphs, runtimeKeys: Bool) -> [KeyBinding] {
        guard !runtimeKeys else { return bindings(glyphs) }
        return bindings(glyphs).filter { binding in
            !binding.examples.allSatisfy { key in
                if case .command = action(for: key, in: ViewState()) { return true }
                return false
            }
        }
    }

    /// The help overlay's lines: every key, with its effect.
    static func bindings(_ glyphs: Glyphs) -> [KeyBinding] {
        [
            KeyBinding("s", "spawn one task", [.character("s")]),
            KeyBinding("S", "spawn 100 tasks", [.character("S")]),
            KeyBinding("b", "block a worker", [.character("b")]),
            KeyBinding("B", "same, on blocking pool", [.character("B")]),
            KeyBinding("c / C", "add / remove 10 clients", [.character("c"), .character("C")]),
            KeyBinding("a", "join demo (async let)", [.character("a")]),
            KeyBinding("m", "lock demo: blocking lock", [.character("m")]),
            KeyBinding("M", "lock demo: async mutex", [.character("M")]),
            KeyBinding("n", "channel demo", [.character("n")]),
            KeyBinding("t", "server: tasks / threads", [.character("t")]),
            KeyBinding("f", "futures-are-lazy demo", [.character("f")]),
            KeyBinding("i", "instrumentation on / off", [.character("i")]),
            KeyBinding("T", "worker timeline", [.character("T")]),
            KeyBinding("o  /", "order / filter tasks", [.character("o"), .character("/")]),
            KeyBinding("space", "pause the view / live", [.space]),
            KeyBinding(
                "[ ]  { }", "back/fwd 100 ms / 1 s",
                [.character("["), .character("]"), .character("{"), .character("}")]),
            KeyBinding("Home End", "oldest instant / live", [.home, .end]),
            KeyBinding("Tab / S-Tab", "next / previous panel", [.tab, .backtab]),
            KeyBinding("\(glyphs.upDown) j k", "move the selection", [.up, .down, .character("j"), .character("k")]),
            KeyBinding("PgUp PgDn", "move a page", [.pageUp, .pageDown]),
            KeyBinding("Enter", "task detail and timeline", [.enter]),
            KeyBinding("w / End", "step a task / latest step", [.character("w"), .end]),
            KeyBinding("\(glyphs.right) \(glyphs.left)", "next/prev step or lesson", [.right, .left]),
            KeyBinding("Esc", "close help/lesson/detail", [.escape]),
            KeyBinding("L", "lesson: last demo/panel", [.character("L")]),
            KeyBinding("?", "this help", [.character("?")]),
            KeyBinding("q / Ctrl-C", "quit", [.character("q"), .interrupt]),
        ]
    }

    private static func lessonAction(for key: Key) -> Action? {
        switch key {
        case .escape, .character("L"): return .leave
        case .left: return .switchLesson(-1)
        case .right: return .switchLesson(1)
        case .space: return .page(1)
        case .character("?"): return .toggleHelp
        // The runtime keys work with a lesson open: "press b and watch the workers".
        default: return scrollAction(for: key) ?? globalAction(for: key)
        }
    }

    /// The worker timeline's keys; the runtime keys work under it too (`b`, then watch it block).
    private static func timelineAction(for key: Key) -> Action? {
        switch key {
        case .escape, .character("T"): return .toggleTimeline
        case .character("+"), .character("="): return .zoomTimeline(-1)
        case .character("-"), .character("_"): return .zoomTimeline(1)
        case .left, .character("h"): return .timelineCursor(-1)
        case .right, .character("l"): return .timelineCursor(1)
        case .up, .character("k"): return .timelineRow(-1)
        case .down, .character("j"): return .timelineRow(1)
        case .character("["): return .panTimeline(-1)
        case .character("]"): return .panTimeline(1)
        case .space: return .togglePause
        default: return timeAction(for: key)
        }
    }

    /// The rewind keys: the time cursor moves through the source's history.
    private static func timeAction(for key: Key) -> Action? {
        switch key {
        case .character("["): return .rewind(-100_000_000)
        case .character("]"): return .rewind(100_000_000)
        case .character("{"): return .rewind(-1_000_000_000)
        case .character("}"): return .rewind(1_000_000_000)
        case .home: return .rewindToOldest
        case .end: return .backToLive
        default: return nil
        }
    }

    private static func scrollAction(for key: Key) -> Action? {
        switch key {
        case .up, .character("k"): return .move(-1)
        case .down, .character("j"): return .move(1)
        case .pageUp: return .page(-1)
        case .pageDown: return .page(1)
        default: return nil
        }
    }

    private static func globalAction(for key: Key) -> Action? {
        guard case .character(let character) = key else { return nil }
        switch character {
        case "s": return .command(.spawnTasks(count: 1))
        case "S": return .command(.spawnTasks(count: 100))
        case "b": return .command(.blockWorker)
        case "B": return .command(.blockOnPool)
        case "c": return .command(.addClients(10))
        case "C": return .command(.removeClients(10))
        case "a": return .command(.joinDemo)
        case "m": return .command(.lockDemo(blocking: true))
        case "M": return .command(.lockDemo(blocking: false))
        case "n": return .command(.channelDemo)
        case "t": return .command(.toggleServerMode)
        case "f": return .command(.lazyDemo)
        case "i": return .command(.toggleInstrumentation)
        case "o": return .cycleTaskOrder
        case "/": return .editFilter
        case "L": return .openLesson
        case "T": return .toggleTimeline
        case "?": return .toggleHelp
        default: return nil
        }
    }
}
