// The help overlay (`?`): every key and its effect, from `KeyMap.bindings`, in two columns, under
// one line on the two vocabularies the dashboard uses. Keys that act on a runtime are listed only
// where they reach one (`runtimeKeys`: not for a program with runviz as its global executor).

enum HelpOverlay {
    static func draw(in area: Rect, on screen: inout Screen, glyphs: Glyphs, runtimeKeys: Bool = true) {
        let bindings = KeyMap.bindings(glyphs, runtimeKeys: runtimeKeys)
        let perColumn = (bindings.count + 1) / 2
        let width = min(area.width, 96)
        let height = min(area.height, perColumn + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y, width: width, height: height)
        screen.drawBox(box, title: "Keys", footer: "Esc or ? closes", glyphs: glyphs)
        let inner = box.inset(1)
        let note = "Swift job run = tokio poll\(glyphs.dot)suspended = Pending\(glyphs.dot)resume = Waker.wake()"
        screen.draw(Line(" " + note, .dim), in: inner, row: 0)
        let columnWidth = (inner.width - 2) / 2
        for (index, binding) in bindings.enumerated() {
            let column = index / perColumn
            let row = 2 + index % perColumn
            guard row < inner.height else { continue }
            var line = Line(Format.column(binding.keys, 12, glyphs), .bold)
            line.append(binding.effect)
            screen.draw(line, x: inner.x + 1 + column * (columnWidth + 1), y: inner.y + row, width: columnWidth)
        }
    }
}
