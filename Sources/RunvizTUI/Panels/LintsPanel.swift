// Warnings the runtime's facts support (blocked worker, long poll, starvation, lost waker), one
// group per row (LintGroup: the tasks one cause starved are one row, the cause first) in the words
// of Lint+Display with its one-line lesson; the facts come first, so when a row is too narrow for
// both the lesson gives way to its short advice, then the kind's name, then the advice (the `L`
// lesson says it at length); when the rows do not fit, the last one counts the rest.

import RunvizObservation

enum LintsPanel {
    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let lints = LintGroup.groups(snapshot.lints)
        let global = snapshot.runtime.configuration.globalExecutor
        guard rect.height > 0 else { return }
        if lints.isEmpty {
            screen.draw(Line("no warnings", .dim), in: rect, row: 0)
            return
        }
        let overflow = lints.count > rect.height
        let shown = overflow ? rect.height - 1 : lints.count
        for (row, lint) in lints.prefix(shown).enumerated() {
            screen.draw(line(lint, suffix: "", width: rect.width, glyphs, globalExecutor: global), in: rect, row: row)
        }
        if overflow {
            let more = lints.count - max(shown, 1)
            let suffix = "\(more) more warning\(more == 1 ? "" : "s")"
            var last = Line("\(glyphs.warning) ", .warning)
            last.append(suffix)
            if shown == 0 { last = line(lints[0], suffix: suffix, width: rect.width, glyphs, globalExecutor: global) }
            screen.draw(last, in: rect, row: shown)
        }
    }

    /// The longest wording that fits: the facts with the lesson, then with the short advice, then the
    /// facts alone without the kind's name; the facts cut as a last resort. `suffix` (the count of
    /// the rows that did not fit) ends it. `globalExecutor`: the advice in a plain program's terms.
    static func line(
        _ group: LintGroup, suffix: String, width: Int, _ glyphs: Glyphs, globalExecutor: Bool = false
    ) -> Line {
        let kind = group.longest.kind
        var message = group.message(glyphs)
        let tail = suffix.isEmpty ? "" : glyphs.dot + suffix
        let explanation = group.longest.explanation(globalExecutor: globalExecutor)
        let advice = group.longest.advice(globalExecutor: globalExecutor)
        let candidates: [(head: String, advice: String?)] = [
            ("\(kind.title): ", explanation), ("\(kind.title): ", advice), ("", advice),
            ("\(kind.title): ", nil), ("", nil),
        ]
        let mark = "\(glyphs.warning) "
        func length(_ c: (head: String, advice: String?), _ message: String) -> Int {
            mark.count + c.head.count + message.count + (c.advice.map { glyphs.dot.count + $0.count } ?? 0)
                + tail.count
        }
        var chosen = candidates.first { length($0, message) <= width } ?? candidates[3]
        // A long task name (the name of a task's code) gives way before the advice does: cut to what
        // leaves the advice room, as long as a useful part of it stays.
        if chosen.advice == nil, let name = group.longest.taskName {
            let over = length(candidates[2], message) - width
            if name.count - over >= 12 {
                var clipped = group
                clipped.longest.taskName = Format.clip(name, name.count - over, glyphs)
                message = clipped.message(glyphs)
                chosen = candidates[2]
            }
        }
        var line = Line(mark + chosen.head, .warning)
        line.append(message)
        if let advice = chosen.advice { line.append(glyphs.dot + advice, .dim) }
        line.append(tail)
        return line
    }
}
