// Parked tasks: suspended at an await, holding no worker (the primer's Pending). Counts by what
// they wait on, then a scrolling list: task, name, what it waits on ("fd 12 read",
// "timer 120 ms", "mutex #1", "channel #2 recv", "join t5"), for how long, and whether anyone
// awaits its handle. Only the visible rows are looked up (a scan that stops early).

import RunvizTelemetry

enum ParkedTasksPanel {
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - 2) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let counts = runtime.taskCounts
        screen.drawTitle(
            Panel.parkedTasks.title, detail: Format.grouped(counts.parkedTotal), in: rect,
            focused: context.isFocused(.parkedTasks), glyphs: glyphs)
        let byKind = ParkKind.allCases.compactMap { kind -> String? in
            guard let count = counts.parked[kind], count > 0 else { return nil }
            return "\(kind.word) \(Format.grouped(count))"
        }
        screen.draw(
            byKind.isEmpty ? Line("no task is parked", .dim) : Line(byKind.joined(separator: glyphs.dot)),
            in: rect, row: 1)

        let rows = listRows(in: rect)
        let position = context.view.position(.parkedTasks).window(count: counts.parkedTotal, rows: rows)
        let shown = runtime.parkedTasks(skipping: position.top, limit: rows)
        let nameWidth = max(8, rect.width - 44)
        for (offset, task) in shown.enumerated() {
            guard case .parked(let reason) = task.state else { continue }
            var line = Line(Format.column("\(task.id)", 8, glyphs))
            line.append(Format.column(task.name, nameWidth, glyphs) + " ")
            line.append(Format.column(reason.waitDescription(now: context.now, glyphs), 16, glyphs), .parked)
            line.append(" " + Format.leftPad(context.duration(context.age(task.since)), 7) + " ")
            line.append(task.awaited ? "awaited" : "no awaiter", task.awaited ? .normal : .dim)
            screen.drawRow(
                line, in: rect, row: 2 + offset,
                selected: context.isFocused(.parkedTasks) && position.top + offset == position.selected)
        }
    }
}
