// The ready queue: jobs waiting for a worker. The global inject queue and each worker's local
// queue, the total over the last 60 seconds as a sparkline, how many tasks were spawned but never
// polled yet (futures are lazy), then the first queued tasks with how long they have waited. The
// depths are counters and the list is built from events: when a depth counts a job the list has
// not seen yet, the panel says so rather than "no task waiting".
// With few rows the depths move into the title line.

import RunvizObservation

enum ReadyQueuePanel {
    static func fixedRows(in rect: Rect) -> Int { rect.height >= 5 ? 3 : 2 }
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - fixedRows(in: rect)) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        var depths = ["inject \(runtime.injectQueueDepth)"]
        for worker in runtime.workers { depths.append("W\(worker.index) \(worker.localQueueDepth)") }
        depths.append("not yet polled \(Format.grouped(runtime.taskCounts.notYetPolled))")
        let depthText = depths.joined(separator: glyphs.dot)
        let merged = fixedRows(in: rect) == 2
        let total = Format.grouped(runtime.readyDepth)
        screen.drawTitle(
            Panel.readyQueue.title, detail: merged ? "\(total): \(depthText)" : total, in: rect,
            focused: context.isFocused(.readyQueue), glyphs: glyphs)
        var row = 1
        if !merged {
            screen.draw(Line(depthText), in: rect, row: row)
            row += 1
        }
        screen.draw(historyLine(runtime.readyQueueHistory, width: rect.width, glyphs), in: rect, row: row)
        row += 1

        let queued = runtime.queuedTasks
        let rows = listRows(in: rect)
        let selected = context.view.position(.readyQueue)
        let position = selected.following(selected.task.flatMap { task in queued.firstIndex { $0.id == task } })
            .window(count: queued.count, rows: rows)
        let nameWidth = max(8, min(24, rect.width - 40))
        for offset in 0..<max(0, min(rows, queued.count - position.top)) {
            let index = position.top + offset
            let task = queued[index]
            var line = Line(Format.column("\(task.id)", 8, glyphs))
            line.append(Format.column(task.name, nameWidth, glyphs) + " ")
            line.append(Format.column(task.worker.map { "W\($0)" } ?? "inject", 7, glyphs), .dim)
            line.append("waiting \(context.duration(task.waitingNanos))")
            screen.drawRow(
                line, in: rect, row: row + offset,
                selected: context.isFocused(.readyQueue) && index == position.selected)
        }
        if queued.isEmpty, row < rect.height {
            // The depths are counters read at the frame's instant; the list is built from events read
            // just before. A job counted but not listed was queued in between (and has usually run).
            let depth = runtime.readyDepth
            let text =
                depth == 0
                ? "no task waiting for a worker"
                : "\(Format.grouped(depth)) queued just now: not in the event list yet"
            screen.draw(Line(Format.clip(text, rect.width, glyphs), .dim), in: rect, row: row)
        }
    }

    static func historyLine(_ history: [Int], width: Int, _ glyphs: Glyphs) -> Line {
        let peak = history.max() ?? 0
        let label = "last \(history.count) s "
        let tail = " peak \(Format.grouped(peak))"
        let sparkWidth = max(0, min(60, width - label.count - tail.count))
        var line = Line(label, .dim)
        line.append(
            Sparkline.render(history.map(Double.init), width: sparkWidth, ceiling: nil, glyphs: glyphs), .running)
        line.append(tail, .dim)
        return line
    }
}
