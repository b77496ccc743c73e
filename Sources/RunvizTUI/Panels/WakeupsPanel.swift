// Wakeups: the most recent chains, newest first, each the primer's wakeup timeline in one line
// ("fd 17 readable → wake t42 echo-conn → queued (3 ahead) → run on W1 after 35 µs"), and in the
// title, wakeups per second by source over the last second. A chain too long for the panel takes
// its short form, then loses its age, then is cut with an ellipsis.

import RunvizObservation
import RunvizTelemetry

enum WakeupsPanel {
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - 1) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let rates = WakeSource.allCases.compactMap { source -> String? in
            guard let rate = runtime.wakeupsPerSecond[source], rate > 0 else { return nil }
            return "\(source.word) \(Format.compact(rate))"
        }
        // The rates are the last whole second's (the sampler's window): with none there, the rows
        // below may still be newer, so the title says which second it counts.
        let detail =
            "per second: " + (rates.isEmpty ? "none in the last whole second" : rates.joined(separator: glyphs.dot))
        screen.drawTitle(
            Panel.wakeups.title, detail: detail, in: rect, focused: context.isFocused(.wakeups), glyphs: glyphs)

        let wakeups = runtime.wakeups
        let rows = listRows(in: rect)
        let position = context.view.position(.wakeups).window(count: wakeups.count, rows: rows)
        for offset in 0..<max(0, min(rows, wakeups.count - position.top)) {
            let index = position.top + offset
            let chain = wakeups[wakeups.count - 1 - index]
            let ago = "  (\(context.duration(context.age(chain.wokenAt))) ago)"
            var text = chain.chain(glyphs)
            if text.count + ago.count > rect.width { text = chain.chain(glyphs, short: true) }
            var line = Line(Format.clip(text, rect.width, glyphs))
            if text.count + ago.count <= rect.width { line.append(ago, .dim) }
            screen.drawRow(
                line, in: rect, row: 1 + offset, selected: context.isFocused(.wakeups) && index == position.selected)
        }
        if wakeups.isEmpty, rect.height > 1 {
            screen.draw(Line("no wakeup recorded yet", .dim), in: rect, row: 1)
        }
    }
}
