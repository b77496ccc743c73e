// The lesson overlay (`L`): a lesson's text, wrapped to the overlay's width and scrolled by the
// arrows and PgUp/PgDn; ← and → move to the previous and next lesson. The text comes from the
// `LessonCatalog` the caller filled; nothing here reads files.

enum LessonOverlay {
    static func textWidth(in area: Rect) -> Int { max(1, area.width - 4) }
    static func textRows(in area: Rect) -> Int { max(1, area.height - 2) }

    /// The lesson's lines wrapped to `width`; headings ("## …") lose their marks and take the title style.
    static func wrappedLines(_ lesson: Lesson, width: Int, glyphs: Glyphs) -> [(text: String, heading: Bool)] {
        var out: [(String, Bool)] = []
        for line in lesson.lines {
            var text = glyphs.transliterate(line)
            let heading = text.hasPrefix("#")
            if heading { text = String(text.drop(while: { $0 == "#" }).drop(while: { $0 == " " })) }
            if text.isEmpty {
                out.append(("", false))
            } else {
                for part in Format.wrap(text, width) { out.append((part, heading)) }
            }
        }
        return out
    }

    /// The largest scroll that still fills the overlay.
    static func maxScroll(_ lesson: Lesson, in area: Rect, glyphs: Glyphs) -> Int {
        max(0, wrappedLines(lesson, width: textWidth(in: area), glyphs: glyphs).count - textRows(in: area))
    }

    static func draw(_ view: LessonView, in area: Rect, on screen: inout Screen, glyphs: Glyphs) {
        let lines = wrappedLines(view.lesson, width: textWidth(in: area), glyphs: glyphs)
        let rows = textRows(in: area)
        let scroll = min(max(0, view.scroll), max(0, lines.count - rows))
        let last = min(lines.count, scroll + rows)
        let footer =
            "lines \(lines.isEmpty ? 0 : scroll + 1)-\(last) of \(lines.count)\(glyphs.dot)"
            + "\(glyphs.left) \(glyphs.right) other lessons\(glyphs.dot)Esc closes"
        let title = "Lesson \(view.lesson.id): \(glyphs.transliterate(view.lesson.title))"
        screen.drawBox(area, title: title, footer: footer, glyphs: glyphs)
        let inner = area.inset(1).insetHorizontally(1)
        for (row, line) in lines[scroll..<last].enumerated() {
            screen.draw(Line(line.text, line.heading ? .title : .normal), in: inner, row: row)
        }
    }
}
