// The echo server and the process it lives in: address and server mode (a task per connection, or
// a thread per connection), connections by tasks and by threads, round trips and bytes per second
// (counters read outside the runtime, over the last second), what a client waits for a reply (fd
// ready → reply written, from the reactor's events, over the same second) and what still waits;
// then the process's threads, tasks, resident and virtual memory side by side, which is the
// primer's "why async" measured. With two rows it packs the same facts, most telling first: the
// connection's measured cost, once there is one, takes the process figures' place.
//
// When latency moved (a reply p99 or a wait of a millisecond or more, or a job blamed for queued
// wakeups), why takes the place of the process figures: the reply's parts (ready → wake, queue
// wait, run) and the job the tasks waited behind, so "why did latency jump when I pressed b?"
// is answered on screen.
//
// A program that is not runviz's echo server (one attached through RUNVIZ_TELEMETRY) has no
// echo address and no connection counters: the panel is then the program's own, with the process,
// its replies (a write after a read wakeup on the same fd, from the reactor's events) and why
// they moved. A runtime that is its process's global executor (the configuration says so) runs a
// program written for Swift's default executor, whose sockets, if any, belong to its own I/O
// threads (SwiftNIO's event loops): there the panel says what is measured, the process's CPU and
// the jobs the workers run, every wake's wait for a worker and the run it led to, and times replies
// only once a socket is on runviz's reactor.

import RunvizObservation

enum EchoPanel {
    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        if snapshot.echo.address.isEmpty { return drawProgram(snapshot, in: rect, on: &screen, context: context) }
        let glyphs = context.glyphs
        let echo = snapshot.echo
        let dot = glyphs.dot
        let mode = echo.mode == .tasks ? "tasks: one per connection" : "threads: one per connection"
        let tasks = Format.grouped(echo.taskConnections)
        let threads = Format.grouped(echo.threadConnections)
        let connections = "conns \(Format.grouped(echo.openConnections)) open (tasks \(tasks), threads \(threads))"
        let roundTrips = Format.compact(echo.roundTripsPerSecond)
        let bytes = Format.bytes(echo.bytesPerSecond)
        let cpu = Format.fixed(snapshot.process.cpuPercent, 0)
        // The built-in clients, named by the keys that add and remove them (the key bar's "c/C clients").
        let clients = Line("c/C clients \(Format.grouped(snapshot.syntheticClients))")
        // Accept backoffs are rare and urgent: when there are any they take the clients' place.
        let backoffs = Line("accept backoffs \(Format.grouped(echo.acceptBackoffs))", .warning)
        let rates = Line.fitting(
            [
                Line("\(roundTrips) round trips/s"), Line("\(bytes)/s"), Line("CPU \(cpu)%"),
                echo.acceptBackoffs > 0 ? backoffs : clients,
            ],
            separator: Line(dot), width: rect.width)
        let process = processLine(snapshot, glyphs)
        if rect.height >= 4 {
            screen.drawTitle(
                Panel.echo.title, detail: "\(echo.address)\(dot)\(mode)", in: rect,
                focused: context.isFocused(.echo), glyphs: glyphs)
            let errors = Line(
                "errors \(Format.grouped(echo.connectionErrors))", echo.connectionErrors > 0 ? .warning : .normal)
            let second = Line.fitting(
                [Line(connections), errors, Line("total \(Format.grouped(echo.totalConnections))")],
                separator: Line(dot), width: rect.width)
            screen.draw(second, in: rect, row: 1)
            screen.draw(rates, in: rect, row: 2)
            screen.draw(replyLine(snapshot.runtime.replies, context, width: rect.width), in: rect, row: 3)
            // What is timed, when a row is free for it: the reply time is the server's part only.
            let scope = Line("not timed here: the kernel's TCP path and the client's own wait", .dim)
            let why = whyLines(snapshot.runtime, context, width: rect.width)
            let free = rect.height - 4 - why.count - 2
            let cost = costLine(snapshot.process, mode: echo.mode, glyphs)
            let rows = why + (free > 0 ? [scope] : []) + [process, cost]
            for (i, line) in rows.prefix(max(0, rect.height - 4)).enumerated() {
                screen.draw(line, in: rect, row: 4 + i)
            }
        } else {
            let focused = context.isFocused(.echo)
            var first = Line(focused ? "\(glyphs.pointer) echo" : "echo", focused ? .focusedTitle : .title)
            let open = "\(Format.grouped(echo.openConnections)) conns"
            // The mode says what serves most of them; threads are counted when there are any.
            let compactConnections = echo.threadConnections == 0 ? open : "\(open) (\(threads) threads)"
            first.append(" \(echo.mode.rawValue)" + dot + compactConnections + dot + "\(roundTrips) rt/s" + dot)
            for span in replyLine(snapshot.runtime.replies, context, compact: true).spans {
                first.append(span.text, span.style)
            }
            screen.draw(first, in: rect, row: 0)
            // Once a connection's cost is measured it is the row's news (lesson 01), with the thread
            // count beside it; before, the process's figures.
            let measured = snapshot.process.perTaskConnection != nil || snapshot.process.perThreadConnection != nil
            let threadCount = Line("threads \(Format.grouped(snapshot.process.threads))")
            let rss = Line("RSS \(Format.bytes(Double(snapshot.process.residentBytes)))")
            let second = Line.fitting(
                measured
                    ? [costLine(snapshot.process, mode: echo.mode, glyphs), threadCount, rss, Line("CPU \(cpu)%")]
                    : [process, Line("CPU \(cpu)%"), clients, Line("\(bytes)/s"), Line(echo.address)],
                separator: Line(dot), width: rect.width)
            // The blame says most in one row; else the split.
            screen.draw(whyLines(snapshot.runtime, context, width: rect.width).last ?? second, in: rect, row: 1)
        }
    }

    /// The panel of a program with no echo server: its process, and its replies as the reactor saw them.
    static func drawProgram(
        _ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext
    ) {
        if snapshot.runtime.configuration.globalExecutor {
            return drawGlobalExecutorProgram(snapshot, in: rect, on: &screen, context: context)
        }
        let glyphs = context.glyphs
        let process = processLine(snapshot, glyphs)
        var cpu = Line("CPU \(Format.fixed(snapshot.process.cpuPercent, 0))%" + glyphs.dot)
        cpu.append("a reply: a write after a read wakeup on its fd", .dim)
        let replies = replyLine(snapshot.runtime.replies, context, compact: rect.height < 4)
        let why = whyLines(snapshot.runtime, context, width: rect.width)
        drawProgramPanel(
            detail: "not the echo server", rows: [process, cpu, replies] + why, compact: (replies, why.last ?? process),
            in: rect, on: &screen, context: context)
    }

    /// A program panel's one layout: a title and `rows` from four rows up; else two rows, "program"
    /// and `compact.first` on the first, `compact.second` below.
    private static func drawProgramPanel(
        detail: String, rows: [Line], compact: (first: Line, second: Line), in rect: Rect, on screen: inout Screen,
        context: RenderContext
    ) {
        let glyphs = context.glyphs
        let focused = context.isFocused(.echo)
        if rect.height >= 4 {
            screen.drawTitle("Program", detail: detail, in: rect, focused: focused, glyphs: glyphs)
            for (i, line) in rows.prefix(rect.height - 1).enumerated() { screen.draw(line, in: rect, row: 1 + i) }
        } else {
            var first = Line(focused ? "\(glyphs.pointer) program " : "program ", focused ? .focusedTitle : .title)
            for span in compact.first.spans { first.append(span.text, span.style) }
            screen.draw(first, in: rect, row: 0)
            screen.draw(compact.second, in: rect, row: 1)
        }
    }

    /// The panel of a program that has runviz as its global executor: its process; its CPU and the
    /// jobs the workers ran over the last second; its replies only where the reactor has sockets
    /// to time (else it says none is there), and why latency moved.
    static func drawGlobalExecutorProgram(
        _ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext
    ) {
        let glyphs = context.glyphs
        let runtime = snapshot.runtime
        let jobs = runtime.workers.reduce(0) { $0 + $1.runsPerSecond }
        let cpu = Line(
            "CPU \(Format.fixed(snapshot.process.cpuPercent, 0))%" + glyphs.dot
                + "jobs \(Format.compact(jobs))/s on \(Format.counted(runtime.workers.count, "worker"))")
        let timed = runtime.replies.p50Nanos != nil || runtime.replies.awaiting > 0 || !runtime.fds.isEmpty
        let replies =
            timed
            ? replyLine(runtime.replies, context, compact: rect.height < 4, width: rect.width)
            : Line("no socket on runviz's reactor: replies are not timed", .dim)
        let wakes = wakeSplitLines(runtime.latency, context)
        let why = whyLines(runtime, context, width: rect.width)
        let process = processLine(snapshot, glyphs)
        drawProgramPanel(
            detail: "its process", rows: [process, cpu] + wakes + [replies] + why,
            compact: (cpu, why.last ?? wakes.last ?? process), in: rect, on: &screen, context: context)
    }

    /// Every wake of the last second split, for a program whose replies runviz does not see, in two
    /// rows: "wakes 42.1k/s queued p50 4.0 µs · p99 290 ms · max 301 ms", then "then ran p50 20 µs ·
    /// p99 310 µs · max 300 ms" (the run each wake led to: a request's own long job is its max);
    /// a millisecond or more stressed. Empty when no wake's run started in that second.
    static func wakeSplitLines(_ latency: LatencyBreakdownSnapshot, _ context: RenderContext) -> [Line] {
        guard latency.wakes > 0 else { return [] }
        func line(_ head: String, _ part: LatencyBreakdownSnapshot.Part) -> Line? {
            guard let p50 = part.p50Nanos, let p99 = part.p99Nanos else { return nil }
            var line = Line(head + "p50 \(context.duration(p50))")
            for (label, nanos) in [("p99", p99), ("max", part.maxNanos ?? p99)] {
                line.append(context.glyphs.dot)
                line.append("\(label) \(context.duration(nanos))", nanos >= 1_000_000 ? .warning : .normal)
            }
            return line
        }
        return [
            line("wakes \(Format.compact(Double(latency.wakes)))/s queued ", latency.wakeQueueWait),
            line("then ran ", latency.wakeRun),
        ].compactMap { $0 }
    }

    /// The server's part of a reply, named as such (a client's round trip is longer: see the scope
    /// row): "server: fd ready → reply p50 10 µs · p99 82 µs · max 1.2 ms", then what waits if anything
    /// has waited a millisecond or more (instead of the max). With replies waiting and none written in
    /// the last second it says so outright: "server: stalled, no reply in 1 s · 500 waiting, oldest
    /// 1.4 s". Replies are counted per whole second (the sampler's window), so the line can lag a
    /// burst by up to a second: with nothing waiting it says only that none came in that second.
    /// When the row is too narrow (`width`) for the wait, the label shortens to "server: reply", then
    /// the oldest wait is left out.
    static func replyLine(
        _ replies: ReplyLatency, _ context: RenderContext, compact: Bool = false, width: Int = .max
    ) -> Line {
        let dot = context.glyphs.dot
        let waiting = replies.awaiting > 0 && replies.oldestAwaitingNanos >= 1_000_000
        let label = compact ? "server" : "server: fd ready \(context.glyphs.arrow) reply"
        var line = Line(label, compact ? .normal : .dim)
        if compact || waiting, let p99 = replies.p99Nanos {
            // Short of room: the tail is what a stall or a blocked worker moves, and the wait after it.
            line.append(" p99 \(context.duration(p99))")
        } else if let p50 = replies.p50Nanos, let p99 = replies.p99Nanos {
            line.append(" p50 \(context.duration(p50))" + dot + "p99 \(context.duration(p99))")
            if !waiting, let max = replies.maxNanos { line.append(dot + "max \(context.duration(max))") }
        } else if waiting {
            line = compact ? Line("server ") : Line("server: ", .dim)
            line.append(compact ? "stalled" : "stalled, no reply in 1 s", .warning)
        } else {
            line.append(": none in the last whole second", .dim)
        }
        if waiting {
            let count = dot + "\(Format.grouped(replies.awaiting)) waiting"
            let oldest = ", oldest \(context.duration(replies.oldestAwaitingNanos))"
            // Short of room, the label gives way first ("server: reply"), then the oldest wait.
            let long = "server: fd ready \(context.glyphs.arrow) reply"
            if !compact, line.count + count.count + oldest.count > width, line.spans.first?.text == long {
                var short = Line("server: reply", .dim)
                for span in line.spans.dropFirst() { short.append(span.text, span.style) }
                line = short
            }
            let fits = !compact && line.count + count.count + oldest.count <= width
            line.append(count + (fits ? oldest : ""), .warning)
        }
        return line
    }

    /// Why latency moved, when it did: the split of the last second's replies, then the job the
    /// worst queue waits were behind (either may be missing); none while latency is unremarkable.
    static func whyLines(_ runtime: RuntimeSnapshot, _ context: RenderContext, width: Int) -> [Line] {
        let replies = runtime.replies
        let latency = runtime.latency
        let moved =
            (replies.p99Nanos ?? 0) >= 1_000_000 || (replies.awaiting > 0 && replies.oldestAwaitingNanos >= 1_000_000)
        var lines: [Line] = []
        if moved || !latency.blame.isEmpty, let split = splitLine(latency, context) { lines.append(split) }
        if let blame = latency.blame.first { lines.append(blameLine(blame, context, width: width)) }
        return lines
    }

    /// "p99 split: ready→wake 32 µs · queue wait 2.0 s · run 126 µs", the largest part stressed
    /// (a warning from a millisecond); nil when no reply of the last second was split.
    static func splitLine(_ latency: LatencyBreakdownSnapshot, _ context: RenderContext) -> Line? {
        guard let wake = latency.readyToWake.p99Nanos, let queue = latency.queueWait.p99Nanos,
            let run = latency.run.p99Nanos
        else { return nil }
        let parts = [("ready\(context.glyphs.arrow)wake", wake), ("queue wait", queue), ("run", run)]
        let largest = max(wake, queue, run)
        var line = Line("p99 split: ", .dim)
        for (i, (label, nanos)) in parts.enumerated() {
            if i > 0 { line.append(context.glyphs.dot) }
            let style: Style = nanos == largest ? (nanos >= 1_000_000 ? .warning : .bold) : .normal
            line.append("\(label) \(context.duration(nanos))", style)
        }
        return line
    }

    /// "38 tasks waited 2.0 s behind t23 demo-blocker on W0", woken or new ("waiting" while the job runs;
    /// "(inject queue)" when they waited there, for a worker to come free, and it fits `width`).
    static func blameLine(_ blame: LatencyBlame, _ context: RenderContext, width: Int) -> Line {
        let count = blame.wakeups == 1 ? "1 task" : "\(Format.grouped(blame.wakeups)) tasks"
        let verb = blame.ongoing ? "waiting" : "waited"
        let id = blame.blocker.description
        let task = blame.blockerName.isEmpty || blame.blockerName == id ? id : "\(id) \(blame.blockerName)"
        var text = "\(count) \(verb) \(context.duration(blame.worstWaitNanos)) behind \(task) on W\(blame.worker)"
        if blame.queue == .inject, text.count + 15 <= width { text += " (inject queue)" }
        return Line(text, .warning)
    }

    /// "per conn: task 5.3 KiB · thread 19.3 KiB + 11.5 MiB virtual": each the process's growth across
    /// the last step of 100 or more connections of that kind arriving at once (ConnectionCostProbe).
    /// A side not measured yet says how to measure it, pressing `t` first when the server gives new
    /// connections to the other kind.
    static func costLine(_ process: ProcessSnapshot, mode: EchoSnapshot.Mode, _ glyphs: Glyphs) -> Line {
        var line = Line("per conn:", .bold)
        let step = "\(ConnectionCostProbe.minimumStep)+"
        guard process.perTaskConnection != nil || process.perThreadConnection != nil else {
            line.append(" add \(step) clients at once to measure (runviz load)", .dim)
            return line
        }
        if let task = process.perTaskConnection {
            line.append(" task \(Format.bytes(task.residentBytes))")
        } else {
            line.append(" task: " + (mode == .tasks ? "add \(step)" : "t, \(step)"), .dim)
        }
        line.append(glyphs.dot)
        if let thread = process.perThreadConnection {
            line.append("thread \(Format.bytes(thread.residentBytes)) + \(Format.bytes(thread.virtualBytes)) virtual")
        } else {
            line.append("thread: " + (mode == .threads ? "add \(step) at once" : "press t, add \(step) at once"), .dim)
        }
        return line
    }

    static func processLine(_ snapshot: DashboardSnapshot, _ glyphs: Glyphs) -> Line {
        let process = snapshot.process
        var line = Line("process", .bold)
        line.append(
            " threads \(Format.grouped(process.threads))" + glyphs.dot
                + "tasks \(Format.grouped(snapshot.runtime.taskCounts.alive))" + glyphs.dot
                + "RSS \(Format.bytes(Double(process.residentBytes)))" + glyphs.dot
                + "VSZ \(Format.bytes(Double(process.virtualBytes)))")
        return line
    }
}
