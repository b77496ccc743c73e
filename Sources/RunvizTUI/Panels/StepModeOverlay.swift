// Step mode (`w`): the followed task's timeline revealed one step per key press, the current step
// highlighted, each with its time since its wakeup began and both vocabularies, and a sentence on what the
// current step means. It opens on the task's next wakeup (rewound: the last one up to the view's
// instant), and says it is waiting for it until a frame carries it; when every recorded step is
// shown and the task has not finished, it says it is waiting for the next wakeup, and shows that
// step as soon as the snapshot carries it.

import RunvizObservation

enum StepModeOverlay {
    /// Rows for steps: border (2), intro and table header (2), a blank row and two of explanation (3).
    static func stepRows(in area: Rect) -> Int { max(1, area.height - 7) }

    static func draw(
        _ snapshot: DashboardSnapshot, step: StepState, in area: Rect, on screen: inout Screen, context: RenderContext
    ) {
        let glyphs = context.glyphs
        let timeline = snapshot.timeline(for: step.task)
        let entries = timeline?.entries ?? []
        // Steps are numbered since following began; `entries` holds the ones still kept.
        let first = timeline?.firstIndex ?? 0
        let total = first + entries.count
        let name = timeline?.name ?? snapshot.runtime.task(step.task)?.name ?? ""
        let waiting = step.index >= total
        var progress = waiting ? "\(total) of \(total) shown" : "step \(step.index + 1) of \(total)"
        switch step.start {
        case .nextWakeup: progress = "waiting for its next wakeup"
        case .lastWakeup: progress = "finding its last wakeup"
        case nil: break
        }
        screen.drawBox(
            area, title: "Step mode: \(step.task.titled(name))\(glyphs.dot)\(progress)",
            footer: "space, \(glyphs.right) or w: next\(glyphs.dot)\(glyphs.left) back\(glyphs.dot)End latest"
                + "\(glyphs.dot)Esc leave",
            glyphs: glyphs
        )
        let inner = area.inset(1).insetHorizontally(1)
        screen.draw(
            Line("One step per key press: the Swift runtime's words, then the primer's.", .dim), in: inner,
            row: 0)
        // Times count from the start of the wakeup the current step belongs to, so its steps
        // (microseconds apart) read in microseconds however long the task has lived, and a step
        // keeps its time as the walk goes on.
        screen.draw(TimelineTable.header(width: inner.width, time: "from wake", glyphs: glyphs), in: inner, row: 1)
        if let start = step.start {
            let text: String
            switch start {
            case .nextWakeup:
                text =
                    "waiting for the next wakeup of \(step.task)\(glyphs.ellipsis) The walk starts there: the "
                    + "kernel reports its fd ready, its timer fires, or another task wakes it. \(glyphs.left) or "
                    + "End: its latest step (\(total) recorded so far)."
            case .lastWakeup:
                text = "reading the steps of \(step.task) up to this instant\(glyphs.ellipsis)"
            }
            for (offset, part) in Format.wrap(text, inner.width).prefix(3).enumerated() {
                screen.draw(Line(part, .idle), in: inner, row: 3 + offset)
            }
            return
        }

        let rows = stepRows(in: area)
        let revealed = max(0, min(step.index + 1, total) - first)
        let start = max(0, revealed - rows)
        if revealed > start, let timeline {
            var wake = min(max(0, step.index - first), revealed - 1)
            while wake > 0, !timeline.beginsWakeup(at: wake) { wake -= 1 }
            let origin = entries[wake].time
            for index in start..<revealed {
                let current = first + index == step.index
                let line = TimelineTable.row(
                    entries[index], origin: origin, width: inner.width, marker: current ? "\(glyphs.pointer) " : "  ",
                    glyphs: glyphs)
                screen.drawRow(line, in: inner, row: 2 + index - start, selected: false)
                if current {
                    screen.restyle(x: inner.x, y: inner.y + 2 + index - start, count: inner.width, style: .current)
                }
            }
        }

        let explanationRow = min(2 + revealed - start + 1, inner.height - 2)
        var text: String
        var style = Style.normal
        if waiting {
            if let timeline, timeline.isComplete {
                text = "\(step.task) finished: that was its whole life. Esc leaves step mode."
            } else {
                text = "waiting for the next wakeup of \(step.task)\(glyphs.ellipsis)"
                style = .idle
            }
        } else if step.index >= first {
            text = entries[step.index - first].step.explanation
        } else {
            text =
                "step \(step.index + 1) is older than the \(entries.count) steps kept: w goes on from the oldest kept"
        }
        for (offset, part) in Format.wrap(text, inner.width).prefix(2).enumerated() {
            screen.draw(Line(part, style), in: inner, row: explanationRow + offset)
        }
    }
}
