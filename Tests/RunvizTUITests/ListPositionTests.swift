// ListPosition: the selection stays in the list and on screen.

import Testing

@testable import RunvizTUI

@Suite struct ListPositionTests {
    @Test func windowClampsSelectionToTheList() {
        #expect(ListPosition(selected: 9, top: 0).window(count: 5, rows: 3) == ListPosition(selected: 4, top: 2))
        #expect(ListPosition(selected: -3, top: 4).window(count: 5, rows: 3) == ListPosition(selected: 0, top: 0))
        #expect(ListPosition(selected: 2, top: 0).window(count: 0, rows: 3) == ListPosition())
    }

    @Test func movingScrollsJustEnoughToShowTheSelection() {
        var position = ListPosition()
        for _ in 0..<3 { position = position.moved(by: 1, count: 10, rows: 3) }
        #expect(position == ListPosition(selected: 3, top: 1))
        position = position.moved(by: -2, count: 10, rows: 3)
        #expect(position == ListPosition(selected: 1, top: 1))
        position = position.moved(by: -1, count: 10, rows: 3)
        #expect(position == ListPosition(selected: 0, top: 0))
        position = position.moved(by: 100, count: 10, rows: 3)
        #expect(position == ListPosition(selected: 9, top: 7))
    }

    @Test func aShrinkingListPullsTheWindowBack() {
        #expect(ListPosition(selected: 8, top: 7).window(count: 4, rows: 3) == ListPosition(selected: 3, top: 1))
    }
}
