// The header rows: the runtime's configuration (the primer's `Builder::new_multi_thread()`),
// uptime and where the view is in time on the first (LIVE, REPLAY at the recorded uptime,
// PAUSED, or `◀ −3.2 s of 59.6 s` when rewound: how far back from the newest instant held, and how
// much is held) and a REC mark while recording; tasks alive, event
// rate, dropped events, instrumentation and its measured cost, the UI's own CPU, tasks finished
// the recording's size and drops, and the history's length and memory on the second; on a
// third row, when the layout gives one, what the last demo key did, or, until one did, for a runtime
// that is its process's global executor, what that shows and what it leaves out (main-actor code). The counts come most important
// first and a count that does not fit is left out whole; with two rows the last action follows the
// uptime, the configuration gives it room by leaving out the pool's bound and the blocked
// threshold (never the worker count), and what still does not fit is cut with an ellipsis. The
// CPU on the second row is the observing thread's: the UI's, or for a global executor's program
// the observer thread its `watch()` started ("observer CPU"; that program has no UI).

import RunvizObservation

enum HeaderPanel {
    /// The third row of a global executor's header until a demo key is pressed.
    static let globalExecutorNote =
        "global executor: every task of this program runs here · @MainActor code runs off screen (Dispatch's main queue)"

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let configuration = runtime.configuration
        let rule = " \(glyphs.vertical) "

        var name = Line("runviz", .bold)
        if context.view.paused, let cursor = context.view.cursor, let span = snapshot.history {
            // Both to a tenth of a second: rounded alike, the distance back never reads past the window.
            let back = Double(span.newest &- span.clamp(cursor)) / 1e9
            name.append(" ")
            name.append(
                "\(glyphs.rewound) -\(Format.fixed(back, 1)) s of \(Format.fixed(span.seconds, 1)) s",
                .warning)
        } else if context.view.paused {
            name.append(" ")
            name.append("PAUSED", .warning)
        } else if let replay = snapshot.replay {
            name.append(" REPLAY \(Format.clock(replay.at))\(replay.ended ? " (end)" : "")", .warning)
        } else if snapshot.history != nil {
            name.append(" LIVE", .dim)
        }
        if let recording = snapshot.recording {
            name.append(" ")
            name.append("\(glyphs.recording) REC", recording.failure == nil ? .normal : .warning)
        }
        let workers = Line("workers \(configuration.workers)")
        let pool = Line("blocking pool \(glyphs.atMost) \(configuration.maxBlockingThreads)")
        let blocked = Line("blocked \(glyphs.atLeast) \(context.duration(configuration.blockedThresholdNanos))")
        func firstRow(_ items: [Line]) -> Line {
            var line = name
            line.append(rule, .dim)
            line.append(Line.joined(items, separator: Line(glyphs.dot)))
            line.append(rule, .dim)
            line.append("up \(Format.clock(runtime.uptimeNanos))")
            return line
        }
        var first = firstRow([workers, pool, blocked])
        let action = snapshot.demos.lastAction.map { "last: \($0)" }
        if rect.height >= 3 {
            let idle =
                configuration.globalExecutor ? Self.globalExecutorNote : "last: no demo run yet (? lists the keys)"
            let text = action ?? idle
            screen.draw(Line(Format.clip(text, rect.width, glyphs), .dim), in: rect, row: 2)
        } else if let action {
            // The pool's bound, then the blocked threshold, make room; the worker count stays: it is
            // the runtime's configuration (lesson 04), whatever the Workers panel lists.
            for items in [[workers, blocked], [workers]]
            where rect.width - first.count - rule.count < min(action.count, 40) {
                first = firstRow(items)
            }
            first.append(rule, .dim)
            first.append(Format.clip(action, rect.width - first.count, glyphs), .dim)
        }
        screen.draw(first, in: rect, row: 0)

        let totals = runtime.totals
        var instrumentation = Line()
        if configuration.instrumentation {
            instrumentation.append("instr on")
            if let cost = snapshot.instrumentationCostNanos {
                instrumentation.append(" \(Format.fixed(cost, 0)) ns/job")
            } else {
                instrumentation.append(" (cost not measured)", .dim)
            }
        } else {
            instrumentation.append("instr off", .warning)
        }
        var counts = [
            Line("tasks \(Format.grouped(runtime.taskCounts.alive))"),
            Line("events \(Format.compact(totals.eventsPerSecond))/s"),
            Line("dropped \(Format.grouped(totals.droppedEvents))", totals.droppedEvents > 0 ? .warning : .normal),
            instrumentation,
            // The CPU of the thread that observes the runtime: runviz's own UI thread, or, in a program
            // with runviz as its global executor, the observer thread `watch()` started there.
            Line(
                "\(configuration.globalExecutor ? "observer" : "UI") CPU "
                    + "\(Format.fixed(snapshot.process.uiCPUPercent, 1))%"),
            Line("finished \(Format.grouped(runtime.taskCounts.finished))"),
        ]
        if let recording = snapshot.recording {
            let dropped = recording.droppedObservations
            let text =
                recording.failure != nil
                ? "rec failed"
                : "rec \(Format.bytes(Double(recording.bytes)))" + (dropped > 0 ? " dropped \(dropped)" : "")
            counts.append(Line(text, recording.failure != nil || dropped > 0 ? .warning : .normal))
        }
        if let span = snapshot.history {
            counts.append(
                Line("history \(Format.fixed(span.seconds, 0)) s \(Format.bytes(Double(span.bytes)))", .dim))
        }
        screen.draw(Line.fitting(counts, separator: Line(glyphs.dot), width: rect.width), in: rect, row: 1)
    }
}
