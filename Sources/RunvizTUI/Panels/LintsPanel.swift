// Warnings the runtime's facts support (blocked worker, long poll, starvation, lost waker), one
// per row in the words of Lint+Display with its one-line lesson; the facts come first, so when a
// row is too narrow for both the lesson is what goes (the `L` lesson says it at length); when the
// rows do not fit, the last one counts the rest.

import RunvizTelemetry

enum LintsPanel {
    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let lints = snapshot.lints
        guard rect.height > 0 else { return }
        if lints.isEmpty {
            screen.draw(Line("no warnings", .dim), in: rect, row: 0)
            return
        }
        let overflow = lints.count > rect.height
        let shown = overflow ? rect.height - 1 : lints.count
        for (row, lint) in lints.prefix(shown).enumerated() {
            let head = "\(glyphs.warning) \(lint.kind.title):"
            let message = " \(lint.message(glyphs))"
            let explanation = glyphs.dot + lint.explanation
            var line = Line(head, .warning)
            line.append(message)
            if head.count + message.count + explanation.count <= rect.width { line.append(explanation, .dim) }
            screen.draw(line, in: rect, row: row)
        }
        if overflow {
            var line = Line("\(glyphs.warning) ", .warning)
            let first = shown == 0 ? "\(lints[0].kind.title): \(lints[0].message(glyphs))" + glyphs.dot : ""
            let more = lints.count - max(shown, 1)
            line.append(first + "\(more) more warning\(more == 1 ? "" : "s")")
            screen.draw(line, in: rect, row: shown)
        }
    }
}
