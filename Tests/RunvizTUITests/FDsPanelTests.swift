// FDsPanel: the epoll interest list: every fd registered for read and write, edge-triggered (the
// title); per row the owner, what it waits for (or nothing), how often the fd fired, and what the
// kernel reported last and when (a task waiting to read whose wake fired read+write reads
// "read … RW").

import Testing

@testable import RunvizTUI

@Suite struct FDsPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.fds).prefix(5) == [
                "─ Registered fds 2 (epoll: RW, edge-triggered) " + String(repeating: "─", count: 16),
                "   fd  owner               waits for   fired  last fired",
                "   12  t17 echo-conn       read        1,234  RW 3.0 ms ago",
                "   13  t42 echo-conn       read+write      5  never",
                "",
            ])
    }

    @Test func compactRowsKeepTheColumnHeader() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.fds) == [
                "─ Registered fds 2 (epoll: RW, edge-triggered) " + String(repeating: "─", count: 33),
                "   fd  owner                                waits for   fired  last fired",
                "   12  t17 echo-conn                        read        1,234  RW 3.0 ms ago",
            ])
    }

    /// Read left to right a row is a sentence: "t9 echo-conn waits for nothing" when no task is parked
    /// on the fd (its owner runs, queues, or waits elsewhere), instead of a bare "-".
    @Test func anFdNobodyWaitsOnSaysSo() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.fds[0].interest = []
        #expect(Rendered(snapshot).panel(\.fds)[2] == "   12  t17 echo-conn       nothing     1,234  RW 3.0 ms ago")
        #expect(FDsPanel.waitsFor(.write) == "write")
    }

    @Test func emptyInterestList() {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.fds = []
        #expect(Rendered(snapshot).panel(\.fds)[2] == "no fd registered")
    }

    @Test func focusedSelectionIsDrawnSelected() {
        var view = ViewState()
        view.focus = .fds
        view.lists[.fds] = ListPosition(selected: 1)
        let rendered = Rendered(Fixtures.snapshot, view)
        let rect = rendered.layout!.fds
        #expect(rendered.panel(\.fds)[0].hasPrefix("▶ Registered fds 2"))
        #expect(rendered.screen[rect.x, rect.y + 3].style == .selected)
        #expect(rendered.screen[rect.x + rect.width - 1, rect.y + 3].style == .selected)
        #expect(rendered.screen[rect.x, rect.y + 2].style != .selected)
    }
}
