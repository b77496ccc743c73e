// Where a list panel is: the selected row and the first row shown, both indices into the panel's
// list. Invariant kept by `window`: the selected row is always inside the rows shown.

public struct ListPosition: Equatable, Sendable {
    public var selected: Int
    public var top: Int

    public init(selected: Int = 0, top: Int = 0) {
        self.selected = selected
        self.top = top
    }

    /// The position clamped to a list of `count` rows shown `rows` at a time: the selection inside
    /// the list, the first row moved just enough to keep the selection visible.
    public func window(count: Int, rows: Int) -> ListPosition {
        guard count > 0, rows > 0 else { return ListPosition() }
        let selected = min(max(0, self.selected), count - 1)
        var top = min(max(0, self.top), max(0, count - rows))
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        return ListPosition(selected: selected, top: top)
    }

    /// Moves the selection by `delta` rows, then clamps as `window` does.
    public func moved(by delta: Int, count: Int, rows: Int) -> ListPosition {
        ListPosition(selected: selected + delta, top: top).window(count: count, rows: rows)
    }
}
