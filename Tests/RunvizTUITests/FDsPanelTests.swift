// FDsPanel: the epoll interest list: every fd registered for read and write, edge-triggered (the
// title); per row the direction a task waits for, the owner, what fired last, how often and when,
// each as what it is (a task waiting to read whose wake fired read+write reads "R … RW").

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct FDsPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.fds).prefix(5) == [
                "─ Registered fds 2 (epoll: RW, edge-triggered) " + String(repeating: "─", count: 16),
                "   fd  waits  owner                   fired ready  last ready",
                "   12  R      t17 echo-conn           RW    1,234  3.0 ms ago",
                "   13  RW     t42 echo-conn           -         5  never",
                "",
            ])
    }

    @Test func compactRowsKeepTheColumnHeader() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.fds) == [
                "─ Registered fds 2 (epoll: RW, edge-triggered) " + String(repeating: "─", count: 33),
                "   fd  waits  owner                                    fired ready  last ready",
                "   12  R      t17 echo-conn                            RW    1,234  3.0 ms ago",
            ])
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
