// The worker timeline (`T`), drawn over the whole screen: one row per worker and per blocking-pool
// thread seen in the window, one character per column, time running left to right (labels are
// uptime, like the header's). A cell reads without colour: the legend letter of the task whose job
// covered most of it, `·` asleep, `~` in epoll_wait, `-` searching for work, `█` BLOCKED, blank
// where nothing was observed; a wakeup that landed on a worker's queue puts `↑` under its cell.
// The cursor's column is marked on the axis and its cell drawn reversed; the line under the rows
// names what it selects. When the rows do not fit with their wakeup lines, the wakeup lines go;
// when the rows alone do not fit, the window of rows follows the cursor.

import RunvizObservation
import RunvizTelemetry

enum WorkerTimelineOverlay {
    /// Columns of a row's label ("blk12 ").
    static let labelWidth = 6
    /// Lines under the rows: a blank one, the cursor's, two of legend, the glyphs', the keys'.
    static let footerRows = 6
    /// Lines above the rows: the title, the time labels, the axis.
    static let headerRows = 3
    /// A legend letter per task, busiest first; tasks past the last share `+`.
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// The cells a row has at this terminal width (what the loop asks the source for).
    static func columns(width: Int) -> Int { max(1, width - labelWidth) }

    /// Draws `timeline` (nil: the source holds none of this window) into `area`. `origin` is the
    /// runtime's start (labels are uptime); `state` says where the window ends: "live" (the newest instant), "paused" or "rewound"
    /// (the view's time cursor).
    static func draw(
        _ timeline: WorkerTimeline?, view: WorkerTimelineView, origin: UInt64, state: String, in area: Rect,
        on screen: inout Screen, glyphs: Glyphs
    ) {
        screen.fill(area)
        let columns = columns(width: area.width)
        let perColumn = view.nanosPerColumn
        var title = Line("Worker timeline", .title)
        title.append(
            "  \(Format.duration(perColumn, glyphs)) per column\(glyphs.dot)"
                + "\(Format.duration(perColumn * UInt64(columns), glyphs)) on screen")
        if let timeline {
            title.append("\(glyphs.dot)to \(seconds(timeline.to, origin, perColumn))")
            title.append(" (\(state))", state == "live" ? .normal : .warning)
        }
        screen.draw(title, in: area, row: 0)
        screen.draw(keysLine(glyphs), in: area, row: area.height - 1)
        guard let timeline, !timeline.rows.isEmpty else {
            screen.draw(
                Line("  No events held for this stretch: the history starts later, or keeps none.", .dim), in: area,
                row: headerRows)
            return
        }
        let cursorColumn = view.selectedColumn(of: columns)
        let cursorRow = min(max(0, view.row), timeline.rows.count - 1)
        drawAxis(timeline, origin: origin, cursor: cursorColumn, in: area, on: &screen, glyphs: glyphs)

        let room = max(0, area.height - headerRows - footerRows)
        let withWakeups = timeline.rows.count * 2 <= room
        let perRow = withWakeups ? 2 : 1
        let shown = max(1, room / perRow)
        let first = min(max(0, cursorRow - shown + 1), max(0, timeline.rows.count - shown))
        let letterOf = legendLetters(timeline)
        for (offset, index) in (first..<min(timeline.rows.count, first + shown)).enumerated() {
            let row = timeline.rows[index]
            let y = headerRows + offset * perRow
            guard y < area.height - footerRows else { break }
            var label = Line(
                Format.column(row.thread.description, labelWidth, glyphs), index == cursorRow ? .bold : .dim)
            for cell in row.cells.prefix(columns) {
                let (character, style) = glyph(cell, letterOf, glyphs)
                label.append(String(character), style)
            }
            screen.draw(label, in: area, row: y)
            if index == cursorRow {
                screen.restyle(x: area.x + labelWidth + cursorColumn, y: area.y + y, count: 1, style: .selected)
            }
            if withWakeups {
                let marks = String(row.cells.prefix(columns).map { $0.wakeups > 0 ? glyphs.timelineWakeup : " " })
                screen.draw(Line(String(repeating: " ", count: labelWidth) + marks, .dim), in: area, row: y + 1)
            }
        }
        let footer = area.height - footerRows
        if let selection = timeline.selection(row: cursorRow, column: min(cursorColumn, timeline.columns - 1)) {
            screen.draw(describe(selection, timeline, origin: origin, glyphs: glyphs), in: area, row: footer + 1)
        }
        let legend = timeline.tasks.enumerated().map { index, label in
            var item = Line(String(index < letters.count ? letters[index] : "+"), .bold)
            item.append(" " + Format.clip(label.description, 30, glyphs))
            // Its BLOCKED cells show the block, not its letter: say it here.
            if label.blockedCells > 0 { item.append(" BLOCKED", .blocked) }
            return item
        }
        drawLegend(legend, rows: 2, from: footer + 2, in: area, on: &screen, glyphs: glyphs)
        screen.draw(statesLine(glyphs, wakeups: withWakeups), in: area, row: footer + 4)
    }

    /// The letter each task's cells show.
    static func legendLetters(_ timeline: WorkerTimeline) -> [UInt64: Character] {
        var letterOf: [UInt64: Character] = [:]
        for (index, label) in timeline.tasks.enumerated() {
            letterOf[label.task.raw] = index < letters.count ? letters[index] : "+"
        }
        return letterOf
    }

    static func glyph(_ cell: WorkerTimeline.Cell, _ letterOf: [UInt64: Character], _ glyphs: Glyphs) -> (
        Character, Style
    ) {
        switch cell.state {
        case .unknown: return (" ", .normal)
        case .searching: return ("-", .idle)
        case .idle: return (glyphs.timelineIdle, .dim)
        case .epoll: return (glyphs.timelineEpoll, .parked)
        case .running: return (letterOf[cell.task] ?? "?", .running)
        case .blocked: return (glyphs.timelineBlocked, .blocked)
        }
    }

    /// Uptime labels every ten columns over an axis line, the cursor's column marked.
    private static func drawAxis(
        _ timeline: WorkerTimeline, origin: UInt64, cursor: Int, in area: Rect, on screen: inout Screen, glyphs: Glyphs
    ) {
        let cells = timeline.columns
        var axis = String(repeating: glyphs.horizontal, count: cells).map { $0 }
        var labels = Line(String(repeating: " ", count: labelWidth))
        var column = 0
        while column < cells {
            axis[column] = "|"
            let text = seconds(timeline.slice(column).start, origin, timeline.nanosPerColumn * 10)
            if labels.count <= labelWidth + column {
                labels.pad(to: labelWidth + column)
                labels.append(text, .dim)
            }
            column += 10
        }
        if cursor < cells { axis[cursor] = glyphs.timelineCursor }
        screen.draw(labels, in: area, row: 1)
        var line = Line(String(repeating: " ", count: labelWidth))
        line.append(String(axis), .dim)
        screen.draw(line, in: area, row: 2)
        if cursor < cells { screen.restyle(x: area.x + labelWidth + cursor, y: area.y + 2, count: 1, style: .bold) }
    }

    /// "W1 12.340 s: t5 echo-conn ran 30 ms from 12.320 s, scheduled by fd 17 readable".
    static func describe(
        _ selection: WorkerTimeline.Selection, _ timeline: WorkerTimeline, origin: UInt64, glyphs: Glyphs
    ) -> Line {
        let perColumn = timeline.nanosPerColumn
        var line = Line(
            "\(glyphs.pointer) \(selection.thread) \(seconds(selection.sliceStart, origin, perColumn)): ", .bold)
        let cell = selection.cell
        guard let stretch = cell.stretch, cell.state != .unknown else {
            line.append("nothing observed in this slice", .dim)
            return line
        }
        let length = selection.duration(until: timeline.to).map { Format.duration($0, glyphs) }
        // A stretch whose start was not read began before the events the timeline was built from.
        var span: String?
        if let length, let start = stretch.start { span = " \(length) from " + seconds(start, origin, perColumn) }
        let extent = span ?? " since before the events read"
        let ongoing = stretch.end == nil ? ", still going" : ""
        switch cell.state {
        case .running, .blocked:
            let name = selection.taskName.isEmpty ? "" : " " + selection.taskName
            if cell.state == .blocked { line.append("BLOCKED ", .blocked) }
            line.append("\(TaskID(cell.task))\(name) \(span == nil ? "running" : "ran")\(extent)\(ongoing)")
            if cell.state == .blocked {
                line.append(" (over \(Format.duration(timeline.blockedThresholdNanos, glyphs)))")
            }
            line.append(
                ", "
                    + (stretch.cause.map { cause in
                        if case .submitted = cause { return cause.description }
                        return "scheduled by " + cause.description
                    } ?? "scheduled before the events read"))
        case .idle, .epoll, .searching:
            let what: String
            switch cell.state {
            case .epoll: what = "in epoll_wait"
            case .searching: what = "searching for work"
            default: what = selection.thread.isWorker ? "parked" : "waiting for a job"
            }
            line.append("\(what)\(span == nil ? "" : " for")\(extent)\(ongoing)")
        case .unknown: break
        }
        if cell.wakeups > 0 { line.append("\(glyphs.dot)\(cell.wakeups) wakeup\(cell.wakeups == 1 ? "" : "s") landed") }
        return line
    }

    /// The legend's items over `rows` lines, in order; when they do not all fit, the last line
    /// ends with how many were left out.
    private static func drawLegend(
        _ items: [Line], rows: Int, from row: Int, in area: Rect, on screen: inout Screen, glyphs: Glyphs
    ) {
        var next = 0
        for offset in 0..<rows {
            var taken: [Line] = []
            var width = 0
            while next < items.count, width + (taken.isEmpty ? 0 : 2) + items[next].count <= area.width {
                width += (taken.isEmpty ? 0 : 2) + items[next].count
                taken.append(items[next])
                next += 1
            }
            var more: Line?
            if offset == rows - 1, next < items.count {
                while true {
                    let text = "+\(items.count - next) more"
                    if taken.isEmpty || width + 2 + text.count <= area.width {
                        more = Line(text, .dim)
                        break
                    }
                    width -= taken.removeLast().count + (taken.isEmpty ? 0 : 2)
                    next -= 1
                }
            }
            screen.draw(
                Line.joined(taken + (more.map { [$0] } ?? []), separator: Line("  ")), in: area, row: row + offset)
        }
    }

    private static func statesLine(_ glyphs: Glyphs, wakeups: Bool) -> Line {
        var line = Line()
        let items: [(String, String)] =
            [
                ("A", "task"), (String(glyphs.timelineIdle), "parked"), ("~", "epoll_wait"), ("-", "searching"),
                (String(glyphs.timelineBlocked), "BLOCKED"),
            ] + (wakeups ? [(String(glyphs.timelineWakeup), "wakeup")] : [])
        for (index, item) in items.enumerated() {
            if index > 0 { line.append("  ") }
            line.append(item.0, .bold)
            line.append(" " + item.1, .dim)
        }
        return line
    }

    private static func keysLine(_ glyphs: Glyphs) -> Line {
        let keys = [
            ("+ -", "zoom"), ("\(glyphs.left) \(glyphs.right)", "cell"), ("\(glyphs.upDown)", "thread"),
            ("[ ]", "pan"), ("space", "pause"), ("Esc T", "close"),
        ]
        var line = Line()
        for (index, key) in keys.enumerated() {
            if index > 0 { line.append("  ") }
            line.append(key.0, .bold)
            line.append(" " + key.1)
        }
        return line
    }

    /// Uptime in seconds, with as many decimals as `resolution` (ns) calls for: "12.34 s".
    static func seconds(_ instant: UInt64, _ origin: UInt64, _ resolution: UInt64) -> String {
        let decimals: Int
        switch resolution {
        case 1_000_000_000...: decimals = 0
        case 100_000_000...: decimals = 1
        case 10_000_000...: decimals = 2
        case 1_000_000...: decimals = 3
        case 100_000...: decimals = 4
        default: decimals = 5
        }
        // Before the runtime started (a window reaching back past it) the uptime is negative.
        return Format.fixed(Double(Int64(bitPattern: instant &- origin)) / 1e9, decimals) + " s"
    }
}

extension WorkerTimeline.Thread {
    var isWorker: Bool {
        if case .worker = self { return true }
        return false
    }
}
