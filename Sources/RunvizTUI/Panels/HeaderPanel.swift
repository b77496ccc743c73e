// The two header rows: the runtime's configuration (the primer's `Builder::new_multi_thread()`),
// uptime and the PAUSED marker on the first; tasks alive, event rate, dropped events,
// instrumentation and its measured cost, and the UI's own CPU on the second. The most important
// items come first, so a narrow terminal clips only the least important.

import RunvizTelemetry

enum HeaderPanel {
    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let configuration = runtime.configuration
        let rule = " \(glyphs.vertical) "

        var first = Line("runviz", .bold)
        if context.view.paused {
            first.append(" ")
            first.append("PAUSED", .warning)
        }
        first.append(rule, .dim)
        first.append("workers \(configuration.workers)")
        first.append(glyphs.dot + "blocking pool \(glyphs.atMost) \(configuration.maxBlockingThreads)")
        first.append(glyphs.dot + "blocked \(glyphs.atLeast) \(context.duration(configuration.blockedThresholdNanos))")
        first.append(rule, .dim)
        first.append("up \(Format.clock(runtime.uptimeNanos))")
        if let action = snapshot.demos.lastAction {
            first.append(rule, .dim)
            first.append("last: \(action)", .dim)
        }
        screen.draw(first, in: rect, row: 0)

        let totals = runtime.totals
        var second = Line("tasks \(Format.grouped(runtime.taskCounts.alive))")
        second.append(glyphs.dot + "events \(Format.compact(totals.eventsPerSecond))/s" + glyphs.dot)
        second.append("dropped \(Format.grouped(totals.droppedEvents))", totals.droppedEvents > 0 ? .warning : .normal)
        second.append(glyphs.dot)
        if configuration.instrumentation {
            second.append("instr on")
            if let cost = snapshot.instrumentationCostNanos {
                second.append(" \(Format.fixed(cost, 0)) ns/job")
            } else {
                second.append(" (cost not measured)", .dim)
            }
        } else {
            second.append("instr off", .warning)
        }
        second.append(glyphs.dot + "UI CPU \(Format.fixed(snapshot.process.uiCPUPercent, 1))%")
        second.append(glyphs.dot + "finished \(Format.grouped(runtime.taskCounts.finished))")
        screen.draw(second, in: rect, row: 1)
    }
}
