// A row of text made of styled spans: how panels compose a line with several roles in it
// ("W0 " normal, "● running" green, the rest normal) before it is clipped into a rectangle.

struct Line: Equatable, Sendable {
    struct Span: Equatable, Sendable {
        var text: String
        var style: Style
    }

    private(set) var spans: [Span] = []

    init() {}

    init(_ text: String, _ style: Style = .normal) {
        spans = [Span(text: text, style: style)]
    }

    var text: String { spans.map(\.text).joined() }
    var count: Int { spans.reduce(0) { $0 + $1.text.count } }

    mutating func append(_ text: String, _ style: Style = .normal) {
        guard !text.isEmpty else { return }
        spans.append(Span(text: text, style: style))
    }

    mutating func append(_ line: Line) {
        for span in line.spans { append(span.text, span.style) }
    }

    /// `items` joined by `separator`, as many as fit in `width` columns in order; the first that
    /// does not fit and every one after it are left out whole, so no word is ever cut in half.
    /// Callers put the most useful item first.
    static func fitting(_ items: [Line], separator: Line, width: Int) -> Line {
        var line = Line()
        for (index, item) in items.enumerated() {
            let gap = index == 0 ? 0 : separator.count
            if line.count + gap + item.count > width { break }
            if index > 0 { line.append(separator) }
            line.append(item)
        }
        return line
    }

    /// `items` joined by `separator`.
    static func joined(_ items: [Line], separator: Line) -> Line {
        fitting(items, separator: separator, width: .max)
    }

    /// Appends spaces until the line is `width` columns wide (nothing if it already is wider).
    mutating func pad(to width: Int) {
        let missing = width - count
        if missing > 0 { append(String(repeating: " ", count: missing)) }
    }
}

extension Screen {
    /// Draws `line` at (`x`, `y`), clipped to `width` columns.
    mutating func draw(_ line: Line, x: Int, y: Int, width: Int) {
        var column = x
        for span in line.spans {
            let room = x + width - column
            if room <= 0 { break }
            column = put(span.text, x: column, y: y, style: span.style, maxWidth: room)
        }
    }

    /// Draws `line` on row `row` of `rect` (relative), clipped to the rectangle.
    mutating func draw(_ line: Line, in rect: Rect, row: Int) {
        guard row >= 0, row < rect.height else { return }
        draw(line, x: rect.x, y: rect.y + row, width: rect.width)
    }
}
