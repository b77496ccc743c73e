// The bottom line: the keys that matter in the current view, most useful first (a narrow terminal
// clips the tail; `?` lists them all).

enum KeyBarPanel {
    static func entries(_ view: ViewState, _ glyphs: Glyphs) -> [(key: String, effect: String)] {
        if view.helpOpen { return [("Esc", "close help"), ("q", "quit")] }
        if view.lesson != nil {
            return [
                ("\(glyphs.upDown)", "scroll"), ("PgUp PgDn", "page"),
                ("\(glyphs.left) \(glyphs.right)", "other lessons"),
                ("Esc", "close"), ("q", "quit"),
            ]
        }
        let runtimeKeys: [(String, String)] = [
            ("s/S", "spawn"), ("b/B", "block/pool"), ("c/C", "clients"), ("a", "join"), ("m/M", "lock"),
            ("n", "channel"),
            ("t", "mode"), ("f", "lazy"), ("i", "instr"),
        ]
        if view.step != nil {
            return [
                ("space \(glyphs.right) w", "next step"), ("\(glyphs.left)", "back"), ("Esc", "leave"), ("L", "lesson"),
                ("?", "help"), ("q", "quit"),
            ] + runtimeKeys
        }
        if view.detail != nil {
            return [
                ("Esc", "back"), ("w", "step"), ("\(glyphs.upDown)", "scroll"), ("L", "lesson"), ("?", "help"),
                ("q", "quit"),
            ] + runtimeKeys
        }
        return [
            ("q", "quit"), ("?", "help"), ("Tab", "panel"), ("\(glyphs.upDown)", "select"), ("Enter", "detail"),
            ("w", "step"), ("L", "lesson"), ("space", view.paused ? "resume" : "pause"),
        ] + runtimeKeys
    }

    static func draw(_ view: ViewState, in rect: Rect, on screen: inout Screen, glyphs: Glyphs) {
        var line = Line()
        for (index, entry) in entries(view, glyphs).enumerated() {
            if index > 0 { line.append("  ") }
            line.append(entry.key, .bold)
            line.append(" " + entry.effect, .dim)
        }
        screen.draw(line, in: rect, row: 0)
    }
}
