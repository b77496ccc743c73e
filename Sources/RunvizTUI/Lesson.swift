// One lesson's text, as the CLI loaded it: an id such as "05-join", a title (the first "# " heading,
// or the id) and the body's lines (wrapped to the overlay's width when drawn).

struct Lesson: Equatable, Sendable {
    var id: String
    var title: String
    var lines: [String]

    init(id: String, title: String, lines: [String]) {
        self.id = id
        self.title = title
        self.lines = lines
    }

    /// Parses Markdown-ish text: a leading "# Title" line becomes the title, the rest the body.
    init(id: String, text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        while lines.first?.trimmingSpaces.isEmpty == true { lines.removeFirst() }
        var title = id
        if let first = lines.first, first.hasPrefix("# ") {
            title = String(first.dropFirst(2)).trimmingSpaces
            lines.removeFirst()
            while lines.first?.trimmingSpaces.isEmpty == true { lines.removeFirst() }
        }
        while lines.last?.trimmingSpaces.isEmpty == true { lines.removeLast() }
        self.init(id: id, title: title, lines: lines)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
