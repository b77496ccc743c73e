// Where a list panel is: the selected row and the first row shown, both indices into the panel's
// list, and the task on the selected row when it was chosen. Rows of tasks move as the list changes
// (a task spawned above, an order by polls), so the selection follows that task, not the row: while
// it is listed, `following` puts the selection on its row; once it is gone, the selection stays at
// the index it had. Invariant kept by `window`: the selected row is always inside the rows shown.

import RunvizTelemetry

struct ListPosition: Equatable, Sendable {
    var selected: Int
    var top: Int
    /// The task on the selected row when it was chosen (nil: none chosen, or rows that are no tasks).
    var task: TaskID?

    init(selected: Int = 0, top: Int = 0, task: TaskID? = nil) {
        self.selected = selected
        self.top = top
        self.task = task
    }

    /// The position with the selection on `row`, where the selected task is listed now (nil: it is
    /// not, the selection keeps its index).
    func following(_ row: Int?) -> ListPosition {
        var position = self
        if let row { position.selected = row }
        return position
    }

    /// The position clamped to a list of `count` rows shown `rows` at a time: the selection inside
    /// the list, the first row moved just enough to keep the selection visible.
    func window(count: Int, rows: Int) -> ListPosition {
        guard count > 0, rows > 0 else { return ListPosition(task: task) }
        let selected = min(max(0, self.selected), count - 1)
        var top = min(max(0, self.top), max(0, count - rows))
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        return ListPosition(selected: selected, top: top, task: task)
    }

    /// Moves the selection by `delta` rows, then clamps as `window` does.
    func moved(by delta: Int, count: Int, rows: Int) -> ListPosition {
        ListPosition(selected: selected + delta, top: top, task: task).window(count: count, rows: rows)
    }
}
