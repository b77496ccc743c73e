// The registered fds: the epoll interest list. Every fd is registered once, for read and write,
// edge-triggered (the title says so); each row then shows what changes: which direction a parked
// task waits for ("waits": the waker the reactor holds), the task that owns the fd, what the
// kernel reported last time it fired, how many times it fired, and when. Shows a prefix of the
// list (it is ordered by fd), scrolled with the selection, under column headers.

import RunvizTelemetry

enum FDsPanel {
    /// The title, then the column headers whenever a row fits under them.
    static func fixedRows(in rect: Rect) -> Int { rect.height >= 3 ? 2 : 1 }
    static func listRows(in rect: Rect) -> Int { max(0, rect.height - fixedRows(in: rect)) }

    static func draw(_ snapshot: DashboardSnapshot, in rect: Rect, on screen: inout Screen, context: RenderContext) {
        let glyphs = context.glyphs
        let fds = snapshot.runtime.fds
        screen.drawTitle(
            Panel.fds.title, detail: "\(Format.grouped(fds.count)) (epoll: RW, edge-triggered)", in: rect,
            focused: context.isFocused(.fds), glyphs: glyphs)
        let ownerWidth = max(10, rect.width - 40)
        let header = fixedRows(in: rect) == 2
        if header {
            let text =
                "   fd  waits  " + Format.column("owner", ownerWidth, glyphs) + " fired ready  last ready"
            screen.draw(Line(text, .dim), in: rect, row: 1)
        }
        let rows = listRows(in: rect)
        let first = fixedRows(in: rect)
        let position = context.view.position(.fds).window(count: fds.count, rows: rows)
        for offset in 0..<max(0, min(rows, fds.count - position.top)) {
            let index = position.top + offset
            let fd = fds[index]
            let waits = fd.interest.isEmpty ? "-" : fd.interest.description
            var line = Line(Format.leftPad("\(fd.fd)", 5) + "  " + Format.column(waits, 5, glyphs) + "  ")
            line.append(Format.column("\(fd.owner) \(fd.ownerName)", ownerWidth, glyphs))
            let fired = fd.lastReady == nil ? "-" : fd.lastReadiness.description
            line.append(" " + Format.column(fired, 5, glyphs), .dim)
            line.append(Format.leftPad(Format.grouped(fd.timesReady), 6) + "  ")
            line.append(fd.lastReady.map { "\(context.duration(context.age($0))) ago" } ?? "never", .dim)
            screen.drawRow(
                line, in: rect, row: first + offset, selected: context.isFocused(.fds) && index == position.selected)
        }
        if fds.isEmpty, rect.height > first {
            screen.draw(Line("no fd registered", .dim), in: rect, row: first)
        }
    }
}
