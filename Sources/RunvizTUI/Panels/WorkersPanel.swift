// One row per worker thread, its state by colour, glyph and word ("● running  t42 echo-conn",
// "■ BLOCKED  t7 blocker 1.2 s"), then busy % with a sparkline of recent samples, runs per
// second, steals and local run-queue depth; the last row is the blocking pool. Scrolls when there
// are more workers than rows. The numbers always fit the panel: the state column gives way to them.

import RunvizObservation

enum WorkersPanel {
    /// Worker rows that fit: the title and the blocking-pool line take one row each.
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - 2) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let workers = snapshot.runtime.workers
        let legend = [
            "\(glyphs.workerRunning) running", "\(glyphs.workerSearching) searching", "\(glyphs.workerParked) parked",
            "\(glyphs.workerInDriver) in epoll", "\(glyphs.workerBlocked) BLOCKED",
        ].joined(separator: " ")
        screen.drawTitle(
            Panel.workers.title, detail: "\(workers.count)  \(legend)", in: rect,
            focused: context.isFocused(.workers), glyphs: glyphs)

        let rows = listRows(in: rect)
        let position = context.view.position(.workers).window(count: workers.count, rows: rows)
        let labelWidth = 1 + String(max(0, workers.count - 1)).count
        let wide = rect.width >= 110
        for row in 0..<max(0, min(rows, workers.count - position.top)) {
            let index = position.top + row
            let line = self.row(workers[index], labelWidth: labelWidth, width: rect.width, wide: wide, glyphs: glyphs)
            screen.drawRow(
                line, in: rect, row: 1 + row, selected: context.isFocused(.workers) && index == position.selected)
        }
        if rect.height >= 2 {
            screen.draw(poolLine(snapshot.runtime, glyphs), in: rect, row: rect.height - 1)
        }
    }

    /// Columns of a row after the state: busy % and sparkline, runs/s, steals and queue depth, with
    /// room for the widest number `Format.compact` writes ("45.2k", "1.2M") in each.
    static func tailWidth(wide: Bool) -> Int {
        6 + sparkWidth(wide: wide) + (wide ? 13 : 8) + 14 + (wide ? 19 : 13)
    }

    static func sparkWidth(wide: Bool) -> Int { wide ? 24 : 8 }

    /// One worker across `width` columns: the state column takes what the numbers leave (at most
    /// 44), so the numbers are never the part that is cut.
    static func row(_ worker: WorkerSnapshot, labelWidth: Int, width: Int, wide: Bool, glyphs: Glyphs) -> Line {
        let state = worker.state
        let stateWidth = max(16, min(44, width - labelWidth - 1 - tailWidth(wide: wide)))
        var line = Line(Format.column("W\(worker.index)", labelWidth, glyphs) + " ")
        let head = "\(state.glyph(glyphs)) \(state.word)"
        let gapWidth = max(1, 9 - state.word.count)
        let detail = state.detail(glyphs, width: stateWidth - head.count - gapWidth)
        line.append(head, state.style)
        if !detail.isEmpty {
            let gap = String(repeating: " ", count: gapWidth)
            line.append(Format.column(gap + detail, stateWidth - head.count, glyphs))
        } else {
            line.pad(to: labelWidth + 1 + stateWidth)
        }
        line.append(" " + Format.percent(worker.busyRatio) + " ")
        let spark = sparkWidth(wide: wide)
        line.append(Sparkline.render(worker.busyHistory, width: spark, ceiling: 1, glyphs: glyphs), .running)
        line.pad(to: labelWidth + 1 + stateWidth + 6 + spark)
        line.append(" " + Format.leftPad(Format.compact(worker.runsPerSecond), 5) + (wide ? " runs/s" : "/s"))
        line.append("  steals " + Format.compact(Double(worker.steals)))
        line.append((wide ? "  local queue " : "  queue ") + Format.compact(Double(worker.localQueueDepth)))
        return line
    }

    static func poolLine(_ runtime: RuntimeSnapshot, _ glyphs: Glyphs) -> Line {
        let pool = runtime.blockingPool
        var line = Line("blocking pool", .bold)
        line.append(
            "  " + Format.counted(pool.threads, "thread") + " (max \(runtime.configuration.maxBlockingThreads))")
        line.append(glyphs.dot)
        line.append("\(pool.busy) busy", pool.busy > 0 ? .running : .normal)
        line.append(glyphs.dot + "\(pool.queued) queued" + glyphs.dot + "\(Format.grouped(pool.completed)) done")
        return line
    }
}
