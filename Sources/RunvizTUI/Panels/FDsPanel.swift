// The registered fds: the epoll interest list. Every fd is registered once, for read and write,
// edge-triggered (the title says so); each row then shows what changes, read left to right as a
// sentence: the task that owns the fd "waits for" read or write (the waker the reactor holds) or
// for nothing (no task is parked on it); the fd fired so many times, last with what the kernel
// reported and when. Shows a prefix of the
// list (it is ordered by fd), scrolled with the selection, under column headers.

import RunvizObservation
import RunvizTelemetry

enum FDsPanel {
    /// "owner waits for read": the direction the reactor holds the owner's waker for, in words;
    /// "nothing" when no task is parked on the fd (its owner is running, queued or parked elsewhere).
    static func waitsFor(_ interest: Interest) -> String {
        switch (interest.contains(.read), interest.contains(.write)) {
        case (true, true): return "read+write"
        case (true, false): return "read"
        case (false, true): return "write"
        case (false, false): return "nothing"
        }
    }

    /// The title, then the column headers whenever a row fits under them.
    static func fixedRows(in rect: Rect) -> Int { rect.height >= 3 ? 2 : 1 }
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - fixedRows(in: rect)) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let fds = snapshot.runtime.fds
        screen.drawTitle(
            Panel.fds.title, detail: "\(Format.grouped(fds.count)) (epoll: RW, edge-triggered)", in: rect,
            focused: context.isFocused(.fds), glyphs: glyphs)
        let ownerWidth = max(10, rect.width - 45)
        let header = fixedRows(in: rect) == 2
        if header {
            let text = "   fd  " + Format.column("owner", ownerWidth, glyphs) + "  waits for   fired  last fired"
            screen.draw(Line(text, .dim), in: rect, row: 1)
        }
        let rows = listRows(in: rect)
        let first = fixedRows(in: rect)
        let position = context.view.position(.fds).window(count: fds.count, rows: rows)
        for offset in 0..<max(0, min(rows, fds.count - position.top)) {
            let index = position.top + offset
            let fd = fds[index]
            var line = Line(Format.leftPad("\(fd.fd)", 5) + "  ")
            line.append(Format.column("\(fd.owner) \(fd.ownerName)", ownerWidth, glyphs) + "  ")
            line.append(Format.column(waitsFor(fd.interest), 10, glyphs), fd.interest.isEmpty ? .dim : .normal)
            line.append(Format.leftPad(Format.grouped(fd.timesReady), 7) + "  ")
            let last = fd.lastReady.map { "\(fd.lastReadiness) \(context.duration(context.age($0))) ago" }
            line.append(last ?? "never", .dim)
            screen.drawRow(
                line, in: rect, row: first + offset, selected: context.isFocused(.fds) && index == position.selected)
        }
        if fds.isEmpty, rect.height > first {
            screen.draw(Line("no fd registered", .dim), in: rect, row: first)
        }
    }
}
