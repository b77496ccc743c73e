// The demo key pressed last, as a caption on the first row (what to watch and what to notice, from
// the frame's numbers: `DemoCaption`), then the results of the other demos started from the
// keyboard, one line each, the demo started last first: join (concurrent ≈ max vs sequential ≈
// sum), lock (blocking lock vs async mutex), channel (senders and receivers parked on a bounded
// channel, counted from the same runtime snapshot as the task rows, so the count and the rows
// agree). A result the caption already tells is not repeated. Before any demo, a line saying which
// keys start them, except for a program with runviz as its global executor, which takes no keys.

import RunvizObservation

enum DemosPanel {
    /// Counts of what waits come from the snapshot's own rows, so the line and the rows agree.
    static func lines(_ snapshot: DashboardSnapshot, _ context: RenderContext, width: Int = .max) -> [Line] {
        let demos = snapshot.demos
        let glyphs = context.glyphs
        let dot = glyphs.dot
        let caption = demos.current.map { DemoCaption.line($0, snapshot, context, width: width) }
        // The demos present, the latest started first (join, lock, channel among equals).
        var started: [(at: UInt64, line: Line)] = []
        if let demo = demos.join, demos.current?.demo != .join {
            var line = Line("join", .bold)
            line.append(" sleeps \(demo.firstMillis) ms and \(demo.secondMillis) ms: ")
            line.append("concurrent \(demo.concurrentNanos.map(context.duration) ?? "running\(glyphs.ellipsis)")")
            line.append(" (\(glyphs.approximately) max)", .dim)
            line.append(dot + "sequential \(demo.sequentialNanos.map(context.duration) ?? "running\(glyphs.ellipsis)")")
            line.append(" (\(glyphs.approximately) sum)", .dim)
            started.append((demo.startedAt, line))
        }
        if let demo = demos.lock, !isLock(demos.current?.demo) {
            var line = Line("lock", .bold)
            line.append(demo.blocking ? " on a blocking lock" : " on the async mutex")
            line.append(": \(demo.tasks) tasks, \(demo.finished) done")
            if demo.elapsedNanos != nil {
                // Done: only the time is left to tell.
            } else if let id = demo.mutexID {
                if let holder = demo.holder { line.append(dot + "held by \(holder)") }
                let parked = snapshot.runtime.tasks.filter { $0.state == .parked(.mutex(id: id)) }.count
                line.append(dot + "\(parked) parked on the mutex")
            } else {
                if let holder = demo.holder { line.append(dot + "held by \(holder)") }
                let blocked = snapshot.runtime.workers.filter {
                    if case .blockedOnLock = $0.state { return true }
                    return false
                }.count
                line.append(dot + Format.counted(blocked, "worker") + " blocked on it")
            }
            line.append(dot + (demo.elapsedNanos.map { "took \(context.duration($0))" } ?? "running\(glyphs.ellipsis)"))
            started.append((demo.startedAt, line))
        }
        if let demo = demos.channel, demos.current?.demo != .channel {
            var line = Line("channel", .bold)
            line.append(" capacity \(demo.capacity), \(demo.buffered) buffered: ")
            line.append("sent \(Format.grouped(demo.sent))/\(Format.grouped(demo.total))" + dot)
            line.append("received \(Format.grouped(demo.received))" + dot)
            let parked = parkedOnChannel(demo.id, in: snapshot.runtime.tasks)
            line.append(
                "parked: \(Format.counted(parked.senders, "sender")), \(Format.counted(parked.receivers, "receiver"))",
                .parked)
            started.append((demo.startedAt, line))
        }
        let shown = started.enumerated().sorted { a, b in
            a.element.at != b.element.at ? a.element.at > b.element.at : a.offset < b.offset
        }.map(\.element.line)
        // A program with runviz as its global executor takes no demo keys: no line offers them.
        if caption == nil && shown.isEmpty && snapshot.runtime.configuration.globalExecutor { return [] }
        if caption == nil && shown.isEmpty {
            return [Line("demos: a join\(dot)m / M lock\(dot)n channel\(dot)f lazy\(dot)b / B blocking", .dim)]
        }
        return (caption.map { [$0] } ?? []) + shown
    }

    /// The tasks parked on channel `id`, to send and to receive: counted from the rows' own tasks.
    static func parkedOnChannel(_ id: UInt32, in tasks: [TaskSnapshot]) -> (senders: Int, receivers: Int) {
        var senders = 0
        var receivers = 0
        for t in tasks {
            guard case .parked(.channel(id, let sending)) = t.state else { continue }
            if sending { senders += 1 } else { receivers += 1 }
        }
        return (senders, receivers)
    }

    private static func isLock(_ demo: DemoRun.Demo?) -> Bool {
        if case .lock = demo { return true }
        return false
    }

    /// Rows the panel has lines for: the caption and the results it does not tell.
    static func count(_ demos: DemoSnapshot) -> Int {
        let current = demos.current?.demo
        let results = [
            demos.join != nil && current != .join, demos.lock != nil && !isLock(current),
            demos.channel != nil && current != .channel,
        ]
        return results.filter { $0 }.count + (current == nil ? 0 : 1)
    }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        for (row, line) in lines(snapshot, context, width: rect.width).prefix(rect.height).enumerated() {
            screen.draw(line, in: rect, row: row)
        }
    }
}
