// The bottom rows: the keys that matter in the current view, most useful first, then the keys that
// act on the runtime (demos, clients, instrumentation). With two rows each group has its own; with
// one the runtime keys follow the view's. A key that does not fit is left out whole with every key
// after it (`?` lists them all), so no word is cut. Where no key acts on the runtime (a program
// with runviz as its global executor takes no commands) the second group is the keys that look
// through time and across workers instead: the worker timeline, rewind, order and filter.

enum KeyBarPanel {
    typealias Entry = (key: String, effect: String)

    /// The view's keys, then the runtime's (empty where runtime keys do nothing, in help and lessons;
    /// the time and order keys where the runtime takes no keys, `runtimeKeys` false).
    static func entries(_ view: ViewState, _ glyphs: Glyphs, runtimeKeys acting: Bool = true) -> (
        view: [Entry], runtime: [Entry]
    ) {
        if view.helpOpen { return ([("Esc", "close help"), ("q", "quit")], []) }
        if view.editingFilter {
            return ([("type", "filter parked tasks"), ("Enter", "keep"), ("Esc", "clear"), ("Ctrl-C", "quit")], [])
        }
        let runtimeKeys: [Entry] =
            acting
            ? [
                ("s/S", "spawn"), ("b/B", "block/pool"), ("c/C", "clients"), ("a", "join"), ("m/M", "lock"),
                ("n", "channel"), ("t", "mode"), ("f", "lazy"), ("i", "instr"), ("o /", "order/filter"),
            ]
            : [
                ("T", "worker timeline"), ("[ ]  { }", "back/fwd 0.1 s / 1 s"), ("End", "live"),
                ("o /", "order/filter tasks"),
            ]
        if view.lesson != nil {
            return (
                [
                    ("\(glyphs.upDown)", "scroll"), ("PgUp PgDn", "page"),
                    ("\(glyphs.left) \(glyphs.right)", "other lessons"),
                    ("Esc", "close"), ("q", "quit"),
                ], runtimeKeys
            )
        }
        if view.step != nil {
            return (
                [
                    ("space \(glyphs.right) w", "next step"), ("\(glyphs.left)", "back"), ("End", "latest"),
                    ("Esc", "leave"), ("L", "lesson"), ("?", "help"), ("q", "quit"),
                ], runtimeKeys
            )
        }
        if view.detail != nil {
            return (
                [
                    ("Esc", "back"), ("w", "step"), ("\(glyphs.upDown)", "scroll"), ("L", "lesson"), ("?", "help"),
                    ("q", "quit"),
                ], runtimeKeys
            )
        }
        return (
            [
                ("q", "quit"), ("?", "help"), ("Tab", "panel"), ("\(glyphs.upDown)", "move"), ("Enter", "detail"),
                ("w", "step"), ("L", "lesson"), ("space", view.paused ? "resume" : "pause"),
            ], runtimeKeys
        )
    }

    static func draw(
        _ view: ViewState, in rect: Rect, on screen: inout Screen, glyphs: Glyphs, runtimeKeys: Bool = true
    ) {
        let keys = entries(view, glyphs, runtimeKeys: runtimeKeys)
        if rect.height >= 2 {
            screen.draw(line(keys.view, width: rect.width), in: rect, row: 0)
            screen.draw(line(keys.runtime, width: rect.width), in: rect, row: 1)
        } else {
            screen.draw(line(keys.view + keys.runtime, width: rect.width), in: rect, row: 0)
        }
    }

    static func line(_ entries: [Entry], width: Int) -> Line {
        let items = entries.map { entry in
            var item = Line(entry.key, .bold)
            item.append(" " + entry.effect, .dim)
            return item
        }
        return Line.fitting(items, separator: Line("  "), width: width)
    }
}
