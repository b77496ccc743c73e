// The list behind each list panel, read from the snapshot: counts, the task a row stands for and
// the row a selected task is on now. Parked tasks are listed in the view's order and filter (one
// pass to filter, one sort of what passes: 10,000 tasks cost about a millisecond a frame); the other
// lists are the snapshot's own.

import RunvizObservation
import RunvizTelemetry

extension DashboardSnapshot {
    /// Rows in `panel`'s list.
    func listCount(_ panel: Panel, _ view: ViewState) -> Int {
        switch panel {
        case .workers: return runtime.workers.count
        case .readyQueue: return runtime.queuedTasks.count
        case .parkedTasks:
            let counts = runtime.taskCounts
            return view.taskFilter.isEmpty
                ? counts.parkedTotal + counts.recentlyFinished
                : runtime.parkedTasks(view.taskOrder, view.taskFilter).count
        case .fds: return runtime.fds.count
        case .wakeups: return runtime.wakeups.count
        case .echo: return 0
        }
    }

    /// The task row `index` of `panel` stands for (wakeups are listed newest first).
    func task(in panel: Panel, at index: Int, _ view: ViewState) -> TaskID? {
        guard index >= 0 else { return nil }
        switch panel {
        case .workers: return index < runtime.workers.count ? runtime.workers[index].state.task : nil
        case .readyQueue: return index < runtime.queuedTasks.count ? runtime.queuedTasks[index].id : nil
        case .parkedTasks:
            let parked = runtime.parkedTasks(view.taskOrder, view.taskFilter)
            return index < parked.count ? parked[index].id : nil
        case .fds: return index < runtime.fds.count ? runtime.fds[index].owner : nil
        case .wakeups:
            let wakeups = runtime.wakeups
            return index < wakeups.count ? wakeups[wakeups.count - 1 - index].task : nil
        case .echo: return nil
        }
    }

    /// `panel`'s position on this snapshot, shown `rows` at a time: on the selected task's row while
    /// it is listed (see ListPosition).
    func position(_ panel: Panel, _ view: ViewState, rows: Int) -> ListPosition {
        let position = view.position(panel)
        let row = position.task.flatMap { task in
            switch panel {
            case .parkedTasks: return runtime.parkedTasks(view.taskOrder, view.taskFilter).firstIndex { $0.id == task }
            case .readyQueue: return runtime.queuedTasks.firstIndex { $0.id == task }
            default: return nil
            }
        }
        return position.following(row).window(count: listCount(panel, view), rows: rows)
    }

    /// Whether `panel`'s rows are tasks that move between frames, so its selection follows a task.
    static func selectionFollowsTask(_ panel: Panel) -> Bool { panel == .parkedTasks || panel == .readyQueue }

    /// The followed task's timeline, if the snapshot carries that task's.
    func timeline(for task: TaskID) -> TaskTimeline? {
        timeline?.task == task ? timeline : nil
    }
}

extension RuntimeSnapshot {
    /// Parked tasks, and those finished lately, whose name, state or park reason contains `filter`
    /// (any case; empty: all), in `order`.
    func parkedTasks(_ order: TaskOrder, _ filter: String) -> [TaskSnapshot] {
        let needle = filter.lowercased()
        var parked = tasks.filter { task in
            let reason: String
            switch task.state {
            case .parked(let why): reason = task.parkedOn ?? "\(why)"
            case .completed, .cancelled: reason = ""
            default: return false
            }
            guard !needle.isEmpty else { return true }
            return task.name.lowercased().contains(needle) || reason.lowercased().contains(needle)
                || "\(task.id)" == needle || task.state.word == needle
        }
        if order != .id { parked.sort(by: order.precedes) }
        return parked
    }
}

extension TaskTimeline {
    var isComplete: Bool { entries.last?.step.isFinal ?? false }
}
