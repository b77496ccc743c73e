// Task detail (Enter): the selected task's state and counters, its poll-time and scheduling-latency
// percentiles, and its timeline (newest at the bottom, scrollable), both vocabularies side by side.
// The task is followed while the detail is open, so the timeline grows live. The title says what
// the timeline's "+0.000 ms" is: the task's spawn, or the first step seen after it.

import RunvizObservation
import RunvizTelemetry

enum TaskDetailOverlay {
    /// Timeline rows that fit in the overlay: border, three summary lines and the table header take six.
    static func timelineRows(in area: Rect) -> Int { max(0, area.height - 6) }

    static func draw(
        _ snapshot: DashboardSnapshot, task id: TaskID, in area: Rect, on screen: inout Screen, context: RenderContext
    ) {
        let glyphs = context.glyphs
        let task = snapshot.runtime.task(id)
        let timeline = snapshot.timeline(for: id)
        let name = task?.name ?? timeline?.name ?? ""
        let timesFrom = timeline.flatMap { originWords($0, task: task, context) }
        screen.drawBox(
            area, title: "Task " + id.titled(name) + (timesFrom.map { glyphs.dot + $0 } ?? ""),
            footer: "following \(id)\(glyphs.dot)Esc back\(glyphs.dot)w step through it",
            glyphs: glyphs)
        let inner = area.inset(1).insetHorizontally(1)
        if let task {
            // What became of its handle comes right after its state (concepts 6 and 9); the counts
            // follow, and a count that does not fit is left out whole.
            let handle =
                task.isChild && task.parent != nil
                ? Line("child of \(task.parent!): its parent awaits it")
                : Line(task.handleDescription, task.awaiterIsNews ? .normal : .dim)
            var items = [
                Line(task.stateDescription(context), stateStyle(task.state)), handle,
                Line("polls \(Format.grouped(task.polls))"), Line("wakes \(Format.grouped(task.wakes))"),
                Line("busy \(context.duration(task.busyNanos))"),
                Line("longest poll \(context.duration(task.longestPollNanos))"),
            ]
            if task.liveChildren > 0 { items.append(Line("awaits " + Format.counted(task.liveChildren, "child task"))) }
            let line = Line.fitting(items, separator: Line(glyphs.dot), width: inner.width)
            screen.draw(line, in: inner, row: 0)
        } else {
            screen.draw(Line("\(id) is no longer in the snapshot: it finished", .dim), in: inner, row: 0)
        }
        if let timeline {
            let poll = percentiles(timeline.pollPercentiles, context)
            let latency = percentiles(timeline.latencyPercentiles, context)
            var pollLine = Line("poll time          ", .bold)
            pollLine.append(poll)
            screen.draw(pollLine, in: inner, row: 1)
            var latencyLine = Line("scheduling latency ", .bold)
            latencyLine.append(latency)
            // With a history the source rebuilt the task's steps since the oldest instant it holds.
            let span = snapshot.history != nil ? "in the history window" : "since you followed it"
            let scope = "  (queued \(glyphs.arrow) run; both \(span))"
            if latencyLine.count + scope.count <= inner.width { latencyLine.append(scope, .dim) }
            screen.draw(latencyLine, in: inner, row: 2)
        }
        screen.draw(TimelineTable.header(width: inner.width, glyphs: glyphs), in: inner, row: 3)
        let rows = timelineRows(in: area)
        guard let timeline, !timeline.entries.isEmpty else {
            screen.draw(
                Line("recording \(id)'s timeline from now on: waiting for its next event\(glyphs.ellipsis)", .dim),
                in: inner, row: 4)
            return
        }
        let entries = timeline.entries
        let scroll = min(max(0, context.view.detailScroll), max(0, entries.count - rows))
        let end = entries.count - scroll
        let start = max(0, end - rows)
        let origin = timeline.origin ?? entries[0].time
        for (offset, entry) in entries[start..<end].enumerated() {
            screen.draw(
                TimelineTable.row(entry, origin: origin, width: inner.width, marker: "  ", glyphs: glyphs), in: inner,
                row: 4 + offset)
        }
    }

    /// What the timeline's times count from, for the title: the task's spawn when that is the first
    /// step recorded, else that first step, placed after the spawn when the snapshot knows when it was.
    static func originWords(_ timeline: TaskTimeline, task: TaskSnapshot?, _ context: RenderContext) -> String? {
        guard let origin = timeline.origin else { return nil }
        let spawned = task.map(\.spawnedAt) ?? 0
        if (timeline.firstIndex == 0 && timeline.entries.first?.step == .spawned) || spawned == origin {
            return "times from its spawn"
        }
        guard spawned != 0, spawned < origin else { return "times from the first step seen" }
        return "times from the first step seen, \(context.duration(origin - spawned)) after spawn"
    }

    static func percentiles(_ values: [UInt64], _ context: RenderContext) -> String {
        guard values.count >= 3 else { return "not measured yet" }
        return "p50 \(context.duration(values[0]))\(context.glyphs.dot)p90 \(context.duration(values[1]))"
            + "\(context.glyphs.dot)p99 \(context.duration(values[2]))"
    }

    static func stateStyle(_ state: TaskSnapshot.State) -> Style {
        switch state {
        case .running: return .running
        case .parked: return .parked
        case .queued, .notYetPolled: return .idle
        case .completed, .cancelled: return .dim
        }
    }
}

extension TaskID {
    /// "t42 echo-conn"; just "t42" when the name is unknown (empty, or the id itself).
    func titled(_ name: String) -> String {
        name.isEmpty || name == description ? description : "\(self) \(name)"
    }
}

extension Rect {
    /// The same rectangle without `by` columns on each side.
    func insetHorizontally(_ by: Int) -> Rect {
        Rect(x: x + by, y: y, width: width - 2 * by, height: height)
    }
}
