// The lesson (`L`): a lesson's Markdown rendered for the terminal and scrolled by the arrows and
// PgUp/PgDn; ← and → move to the previous and next lesson. Rendering: "#" headings lose their marks
// and take the title style; fenced code loses its fences and is indented, unwrapped; table rows
// lose their outer pipes (inner ones become rules) and separator rows become a line, unwrapped;
// "- " items get a bullet; `code` and **bold** marks are dropped; prose is wrapped. The text comes
// from the `LessonCatalog` the caller filled; nothing here reads files.

enum LessonOverlay {
    static func textWidth(in area: Rect) -> Int { max(1, area.width - 4) }
    static func textRows(in area: Rect) -> Int { max(1, area.height - 2) }

    /// The lesson's lines rendered for `width` columns, each with its style.
    static func wrappedLines(_ lesson: Lesson, width: Int, glyphs: Glyphs) -> [(text: String, style: Style)] {
        var out: [(String, Style)] = []
        var inFence = false
        // Source lines of one paragraph or list item, joined before wrapping.
        var paragraph = ""
        var bulleted = false
        func flush() {
            guard !paragraph.isEmpty else { return }
            let indent = bulleted ? 2 : 0
            for (i, part) in Format.wrap(inline(paragraph), max(1, width - indent)).enumerated() {
                out.append(((bulleted ? (i == 0 ? "\(glyphs.bullet) " : "  ") : "") + part, .normal))
            }
            paragraph = ""
            bulleted = false
        }
        for line in lesson.lines {
            let raw = glyphs.transliterate(line)
            let trimmed = String(raw.drop(while: { $0 == " " }))
            if raw.hasPrefix("```") {
                flush()
                inFence.toggle()
            } else if inFence {
                out.append(("  " + raw, .bold))
            } else if trimmed.isEmpty {
                flush()
                out.append(("", .normal))
            } else if trimmed.hasPrefix("|") {
                flush()
                out += tableRows(trimmed, width: width, glyphs)
            } else if trimmed.hasPrefix("#") {
                flush()
                let heading = inline(String(trimmed.drop(while: { $0 == "#" }).drop(while: { $0 == " " })))
                for part in Format.wrap(heading, width) { out.append((part, .title)) }
            } else if trimmed.hasPrefix("- ") {
                flush()
                paragraph = String(trimmed.dropFirst(2))
                bulleted = true
            } else {
                paragraph += paragraph.isEmpty ? trimmed : " " + trimmed
            }
        }
        flush()
        return out
    }

    /// A table row as it fits: the source's own columns when they fit `width`, else each row as its
    /// cells joined by arrows and wrapped (separator rows dropped).
    static func tableRows(_ row: String, width: Int, _ glyphs: Glyphs) -> [(text: String, style: Style)] {
        let line = tableRow(row, glyphs)
        if line.count <= width { return [(line, .normal)] }
        let cells = row.split(separator: "|").map { inline(String($0)).split(separator: " ").joined(separator: " ") }
            .filter { !$0.isEmpty }
        guard !cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) else { return [] }
        return Format.wrap(cells.joined(separator: glyphs.then), width).map { ($0, .normal) }
    }

    /// "| a | b |" → " a │ b", "|---|---|" → a rule as wide as the row.
    static func tableRow(_ row: String, _ glyphs: Glyphs) -> String {
        var cells = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if cells.first?.allSatisfy({ $0 == " " }) == true { cells.removeFirst() }
        if cells.last?.allSatisfy({ $0 == " " }) == true { cells.removeLast() }
        if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) {
            return cells.map { String(repeating: glyphs.horizontal, count: $0.count) }.joined(
                separator: String(glyphs.horizontal))
        }
        // Marks become spaces, not nothing, so the columns the source lined up stay lined up.
        return cells.map { $0.replacing("**", with: "  ").replacing("`", with: " ") }.joined(
            separator: String(glyphs.vertical))
    }

    /// Drops `code` and **bold** marks, keeping their text.
    static func inline(_ text: String) -> String {
        text.replacing("**", with: "").replacing("`", with: "")
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
            screen.draw(Line(line.text, line.style), in: inner, row: row)
        }
    }
}
