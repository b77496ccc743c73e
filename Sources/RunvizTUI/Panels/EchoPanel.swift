// The echo server and the process it lives in: address and server mode (a task per connection, or
// a thread per connection), connections by tasks and by threads, round trips and bytes per
// second, server-side latency, synthetic clients, accept backoffs; then the process's threads,
// tasks, resident and virtual memory side by side, which is the primer's "why async" measured.
// With two rows it packs the same facts, most telling first, without a title.

import RunvizTelemetry

enum EchoPanel {
    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let echo = snapshot.echo
        let dot = glyphs.dot
        let mode = echo.mode == .tasks ? "tasks: one per connection" : "threads: one per connection"
        let connections =
            "conns \(Format.grouped(echo.openConnections)) open (tasks \(Format.grouped(echo.taskConnections)), "
            + "threads \(Format.grouped(echo.threadConnections)))"
        let rates =
            "\(Format.compact(echo.roundTripsPerSecond)) round trips/s" + dot
            + "\(Format.bytes(echo.bytesPerSecond))/s" + dot
            + "p50 \(context.duration(UInt64(max(0, echo.p50Micros * 1_000))))" + dot
            + "p99 \(context.duration(UInt64(max(0, echo.p99Micros * 1_000))))"
        let process = processLine(snapshot, glyphs)
        let clients =
            "synthetic clients \(Format.grouped(snapshot.syntheticClients))" + dot
            + "accept backoffs \(Format.grouped(echo.acceptBackoffs))" + dot
            + "process CPU \(Format.fixed(snapshot.process.cpuPercent, 0))%"
        if rect.height >= 4 {
            screen.drawTitle(
                Panel.echo.title, detail: "\(echo.address)\(dot)\(mode)", in: rect,
                focused: context.isFocused(.echo), glyphs: glyphs)
            var second = Line(connections)
            second.append(dot + "total \(Format.grouped(echo.totalConnections))" + dot)
            second.append(
                "errors \(Format.grouped(echo.connectionErrors))", echo.connectionErrors > 0 ? .warning : .normal)
            screen.draw(second, in: rect, row: 1)
            screen.draw(Line(rates), in: rect, row: 2)
            if rect.height >= 5 {
                screen.draw(Line(clients), in: rect, row: 3)
                screen.draw(process, in: rect, row: 4)
            } else {
                screen.draw(process, in: rect, row: 3)
            }
        } else {
            let focused = context.isFocused(.echo)
            var first = Line(focused ? "\(glyphs.pointer) echo" : "echo", focused ? .focusedTitle : .title)
            first.append(
                " \(echo.mode.rawValue)" + dot + connections + dot + "\(Format.compact(echo.roundTripsPerSecond)) rt/s"
                    + dot + "p99 \(context.duration(UInt64(max(0, echo.p99Micros * 1_000))))" + dot
                    + "p50 \(context.duration(UInt64(max(0, echo.p50Micros * 1_000))))" + dot
                    + "\(Format.bytes(echo.bytesPerSecond))/s" + dot + echo.address)
            screen.draw(first, in: rect, row: 0)
            var second = process
            second.append(
                dot + "CPU \(Format.fixed(snapshot.process.cpuPercent, 0))%" + dot
                    + "clients \(Format.grouped(snapshot.syntheticClients))" + dot
                    + "backoffs \(Format.grouped(echo.acceptBackoffs))")
            screen.draw(second, in: rect, row: 1)
        }
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
