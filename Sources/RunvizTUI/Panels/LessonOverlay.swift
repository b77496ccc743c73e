// The lesson (`L`): a lesson's Markdown rendered for the terminal and scrolled by the arrows and
// PgUp/PgDn; ← and → move to the previous and next lesson. Rendering: "#" headings lose their marks
// and take the title style; fenced code loses its fences and is indented; table rows lose their outer
// pipes (inner ones become rules) and separator rows become a line; "- " items get a bullet; `code`
// and **bold** marks are dropped; prose is wrapped. Nothing is cut at the box's edge, docked at 40
// columns included: code wraps under a deeper indent, a table too wide for the box is written row by
// row as its cells joined by arrows (a row with an empty first cell continues the row above), the
// footer takes shorter words, and a title too long for the frame opens the text instead. The text
// comes from the `LessonCatalog` the caller filled; nothing here reads files.

enum LessonOverlay {
    static func textWidth(in area: Rect) -> Int { max(1, area.width - 4) }
    static func textRows(in area: Rect) -> Int { max(1, area.height - 2) }

    /// Columns the frame leaves for its title and footer (`Screen.drawBox`).
    static func frameWidth(in area: Rect) -> Int { max(0, area.width - 6) }

    /// The title in the frame: the lesson's own and its place in the teaching order ("04 · The
    /// runtime · 4/15"), else the title alone, else the place alone ("Lesson 4/15"): the title then
    /// opens the text.
    static func boxTitle(_ lesson: Lesson, in area: Rect, glyphs: Glyphs) -> String {
        let title = glyphs.transliterate(lesson.title)
        let room = frameWidth(in: area)
        guard let index = LessonCatalog.order.firstIndex(of: lesson.id) else { return title }
        let place = "\(index + 1)/\(LessonCatalog.order.count)"
        if title.count + glyphs.dot.count + place.count <= room { return title + glyphs.dot + place }
        return title.count <= room ? title : "Lesson \(place)"
    }

    /// What the box shows and scrolls: the lesson's lines, after its title when the frame has no room for it.
    static func bodyLines(_ lesson: Lesson, in area: Rect, glyphs: Glyphs) -> [(text: String, style: Style)] {
        let width = textWidth(in: area)
        let lines = wrappedLines(lesson, width: width, glyphs: glyphs)
        let title = glyphs.transliterate(lesson.title)
        guard title.count > frameWidth(in: area) else { return lines }
        return Format.wrap(title, width).map { ($0, .title) } + [("", .normal)] + lines
    }

    /// The lesson's lines rendered for `width` columns, each with its style.
    static func wrappedLines(_ lesson: Lesson, width: Int, glyphs: Glyphs) -> [(text: String, style: Style)] {
        var out: [(String, Style)] = []
        var inFence = false
        // Source lines of one paragraph or list item, joined before wrapping.
        var paragraph = ""
        var bulleted = false
        // Rows of one table, drawn together so the whole table takes one form.
        var table: [String] = []
        func flush() {
            if !table.isEmpty {
                out += tableLines(table, width: width, glyphs)
                table = []
            }
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
                out += hanging(raw, width: width, first: "  ", rest: "    ").map { ($0, .bold) }
            } else if trimmed.isEmpty {
                flush()
                out.append(("", .normal))
            } else if trimmed.hasPrefix("|") {
                if !paragraph.isEmpty { flush() }
                table.append(trimmed)
            } else if trimmed.hasPrefix("#") {
                flush()
                let heading = inline(String(trimmed.drop(while: { $0 == "#" }).drop(while: { $0 == " " })))
                for part in Format.wrap(heading, width) { out.append((part, .title)) }
            } else if trimmed.hasPrefix("- ") {
                flush()
                paragraph = String(trimmed.dropFirst(2))
                bulleted = true
            } else {
                if !table.isEmpty { flush() }
                paragraph += paragraph.isEmpty ? trimmed : " " + trimmed
            }
        }
        flush()
        return out
    }

    /// `text` wrapped to `width` columns, its first line after `first` and the others after `rest`.
    static func hanging(_ text: String, width: Int, first: String, rest: String) -> [String] {
        let head = Format.wrap(text, max(1, width - first.count))
        guard head.count > 1 else { return head.map { first + $0 } }
        let remainder = String(text.dropFirst(head[0].count).drop(while: { $0 == " " }))
        return [first + head[0]] + Format.wrap(remainder, max(1, width - rest.count)).map { rest + $0 }
    }

    /// A table as it fits: the source's own columns when every row fits `width`, else each row as its
    /// cells joined by arrows and wrapped under an indent (separator rows dropped).
    static func tableLines(_ rows: [String], width: Int, _ glyphs: Glyphs) -> [(text: String, style: Style)] {
        let lines = rows.map { tableRow($0, glyphs) }
        if lines.allSatisfy({ $0.count <= width }) { return lines.map { ($0, .normal) } }
        var merged: [[String]] = []
        for row in rows {
            var cells = row.split(separator: "|", omittingEmptySubsequences: false).map {
                inline(String($0)).split(separator: " ").joined(separator: " ")
            }
            if cells.first?.isEmpty == true { cells.removeFirst() }
            if cells.last?.isEmpty == true { cells.removeLast() }
            guard !cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) else { continue }
            if cells.first?.isEmpty == true, let above = merged.indices.last {
                for (i, cell) in cells.enumerated() where !cell.isEmpty {
                    if i < merged[above].count {
                        merged[above][i] += merged[above][i].isEmpty ? cell : " " + cell
                    } else {
                        merged[above].append(cell)
                    }
                }
            } else {
                merged.append(cells)
            }
        }
        return merged.flatMap { cells in
            hanging(cells.filter { !$0.isEmpty }.joined(separator: glyphs.then), width: width, first: "", rest: "  ")
                .map { ($0, Style.normal) }
        }
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

    /// The footer in the frame, the richest form that fits: "lines 1-38 of 63 · ← → other lessons ·
    /// Esc closes" down to "1-38/63 · ←→ · Esc".
    static func footer(first: Int, last: Int, count: Int, in area: Rect, glyphs: Glyphs) -> String {
        let range = "\(first)-\(last)"
        let forms = [
            "lines \(range) of \(count)\(glyphs.dot)\(glyphs.left) \(glyphs.right) other lessons\(glyphs.dot)Esc closes",
            "lines \(range) of \(count)\(glyphs.dot)\(glyphs.leftRight) lessons\(glyphs.dot)Esc closes",
            "\(range)/\(count)\(glyphs.dot)\(glyphs.leftRight) lessons\(glyphs.dot)Esc closes",
            "\(range)/\(count)\(glyphs.dot)\(glyphs.leftRight)\(glyphs.dot)Esc",
        ]
        return forms.first { $0.count <= frameWidth(in: area) } ?? forms[forms.count - 1]
    }

    /// The largest scroll that still fills the overlay.
    static func maxScroll(_ lesson: Lesson, in area: Rect, glyphs: Glyphs) -> Int {
        max(0, bodyLines(lesson, in: area, glyphs: glyphs).count - textRows(in: area))
    }

    static func draw(_ view: LessonView, in area: Rect, on screen: inout Screen, glyphs: Glyphs) {
        let lines = bodyLines(view.lesson, in: area, glyphs: glyphs)
        let rows = textRows(in: area)
        let scroll = min(max(0, view.scroll), max(0, lines.count - rows))
        let last = min(lines.count, scroll + rows)
        let footer = footer(
            first: lines.isEmpty ? 0 : scroll + 1, last: last, count: lines.count, in: area, glyphs: glyphs)
        screen.drawBox(area, title: boxTitle(view.lesson, in: area, glyphs: glyphs), footer: footer, glyphs: glyphs)
        let inner = area.inset(1).insetHorizontally(1)
        for (row, line) in lines[scroll..<last].enumerated() {
            screen.draw(Line(line.text, line.style), in: inner, row: row)
        }
    }
}
