// Parked tasks: suspended at an await, holding no worker (the primer's Pending). Counts by what
// they wait on, then a scrolling list under column headers: task, name, what it is parked on
// ("fd 12 read", "timer", "mutex #1", "channel #2 recv", "join t5"), the time left to a timer's
// deadline ("due in"), how long it has been parked ("waited": every duration fits its six columns)
// and who awaits its JoinHandle ("t7", "parent"; "nobody" once the handle was dropped unawaited).
// Tasks that finished lately stay listed a while, dimmed, with who awaited them ("done 2.1 s ago,
// awaited by t7", "done 40 ms ago, nobody awaited"): a handle's completion and a forgotten await
// both stay on screen long enough to read. With few rows the counts move into the title line. The
// list is in the view's order (`o`, newest first by default) and filter (`/`), both named in the
// title; the selected row is the selected task's, wherever the order moved it.

import RunvizObservation
import RunvizTelemetry

enum ParkedTasksPanel {
    static func fixedRows(in rect: Rect) -> Int { rect.height >= 6 ? 3 : 2 }
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - fixedRows(in: rect)) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let counts = runtime.taskCounts
        let byKind = ParkKind.allCases.compactMap { kind -> String? in
            guard let count = counts.parked[kind], count > 0 else { return nil }
            return "\(kind.word) \(Format.grouped(count))"
        }
        let kinds = byKind.isEmpty ? "no task is parked" : byKind.joined(separator: glyphs.dot)
        let merged = fixedRows(in: rect) == 2
        let view = context.view
        let listed = runtime.parkedTasks(view.taskOrder, view.taskFilter)
        var total = Format.grouped(counts.parkedTotal)
        if counts.recentlyFinished > 0 { total += " + \(Format.grouped(counts.recentlyFinished)) done" }
        if !view.taskFilter.isEmpty || view.editingFilter {
            let cursor = view.editingFilter ? "_" : ""
            total = "\(Format.grouped(listed.count)) of \(total) /\(view.taskFilter)\(cursor)"
        }
        // The order's name gives way to the counts and the filter when the title is short of room.
        let ordered = total + glyphs.dot + view.taskOrder.word
        if Panel.parkedTasks.title.count + ordered.count + 4 <= rect.width { total = ordered }
        let rows = listRows(in: rect)
        let selected = view.position(.parkedTasks)
        let position = selected.following(selected.task.flatMap { task in listed.firstIndex { $0.id == task } })
            .window(count: listed.count, rows: rows)
        // The selection keeps its task in view, so rows can sit above the window (newer ones, in the
        // default order): their count is said, or they would be out of sight and out of mind.
        let above = position.top > 0 ? "\(glyphs.above) \(Format.grouped(position.top)) above" : ""
        var detail = merged ? "\(total): \(kinds)" : total
        if merged, !above.isEmpty {
            detail = "\(total)\(glyphs.dot)\(above): \(kinds)"
        }
        screen.drawTitle(
            Panel.parkedTasks.title, detail: detail, in: rect, focused: context.isFocused(.parkedTasks), glyphs: glyphs)
        if !merged {
            var line = byKind.isEmpty ? Line(kinds, .dim) : Line(kinds)
            if !above.isEmpty { line.append(glyphs.dot + above, .warning) }
            screen.draw(line, in: rect, row: 1)
        }
        let shown = Array(listed.dropFirst(position.top).prefix(rows))
        // The id and parked-on columns are as wide as their longest shown value, so a name keeps
        // every column it can.
        let idWidth = max(5, 1 + (shown.map { "\($0.id)".count }.max() ?? 0))
        let parkedOnWidth = min(
            16,
            shown.reduce(9) { width, task in
                max(width, task.parkedOnDescription?.count ?? 0)
            })
        let nameWidth = max(8, min(24, rect.width - idWidth - parkedOnWidth - 26))
        let header =
            Format.column("task", idWidth, glyphs) + Format.column("name", nameWidth, glyphs) + " "
            + Format.column("parked on", parkedOnWidth, glyphs) + "  due in  waited  awaiter"
        if !shown.isEmpty { screen.draw(Line(header, .dim), in: rect, row: fixedRows(in: rect) - 1) }
        for (offset, task) in shown.enumerated() {
            let id = Format.column("\(task.id)", idWidth, glyphs)
            var line: Line
            if let end = task.endDescription(context) {
                line = Line(id + Format.column(task.name, nameWidth, glyphs) + " " + end, .dim)
            } else {
                guard case .parked(let reason) = task.state else { continue }
                line = Line(id + Format.column(task.name, nameWidth, glyphs) + " ")
                line.append(Format.column(task.parkedOnDescription ?? "", parkedOnWidth, glyphs), .parked)
                line.append(Format.leftPad(reason.deadlineDescription(now: context.now, glyphs) ?? "", 8))
                line.append(Format.leftPad(context.duration(context.age(task.since)), 8) + "  ")
                line.append(task.awaiterWord, task.awaiterIsNews ? .normal : .dim)
            }
            screen.drawRow(
                line, in: rect, row: fixedRows(in: rect) + offset,
                selected: context.isFocused(.parkedTasks) && position.top + offset == position.selected)
        }
    }
}
