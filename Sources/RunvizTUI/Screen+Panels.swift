// Drawing helpers shared by panels: a panel's title line, a framed box for overlays, and a list row
// drawn selected.

extension Screen {
    /// "─ Title detail ─────" across `rect`'s first row; the focused panel reads "▶ Title …" in
    /// reverse video, so focus shows without colour.
    mutating func drawTitle(_ title: String, detail: String = "", in rect: Rect, focused: Bool, glyphs: Glyphs) {
        guard rect.height > 0 else { return }
        var line = Line()
        if focused {
            line.append("\(glyphs.pointer) \(title)", .focusedTitle)
        } else {
            line.append("\(glyphs.horizontal) ", .dim)
            line.append(title, .title)
        }
        if !detail.isEmpty { line.append(" " + detail) }
        line.append(" ")
        let rule = rect.width - line.count
        if rule > 0 { line.append(String(repeating: glyphs.horizontal, count: rule), .dim) }
        draw(line, in: rect, row: 0)
    }

    /// Clears `rect` and frames it, with `title` in the top edge and `footer` in the bottom edge.
    mutating func drawBox(_ rect: Rect, title: String, footer: String = "", glyphs: Glyphs) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        fill(rect)
        let inner = rect.width - 2
        let edge = String(repeating: glyphs.horizontal, count: inner)
        put(String(glyphs.topLeft) + edge + String(glyphs.topRight), x: rect.x, y: rect.y, style: .dim)
        put(String(glyphs.bottomLeft) + edge + String(glyphs.bottomRight), x: rect.x, y: rect.maxY - 1, style: .dim)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put(String(glyphs.vertical), x: rect.x, y: row, style: .dim)
            put(String(glyphs.vertical), x: rect.x + inner + 1, y: row, style: .dim)
        }
        if !title.isEmpty {
            put(" " + Format.clip(title, inner - 4, glyphs) + " ", x: rect.x + 2, y: rect.y, style: .title)
        }
        if !footer.isEmpty {
            put(" " + Format.clip(footer, inner - 4, glyphs) + " ", x: rect.x + 2, y: rect.maxY - 1, style: .dim)
        }
    }

    /// Draws a list row; the selected row of a focused list is drawn in reverse across the panel.
    mutating func drawRow(_ line: Line, in rect: Rect, row: Int, selected: Bool) {
        draw(line, in: rect, row: row)
        if selected { restyle(x: rect.x, y: rect.y + row, count: rect.width, style: .selected) }
    }
}
