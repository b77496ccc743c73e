// The list behind each list panel, read from the snapshot without sorting or copying it: counts,
// the task a row stands for, and the window of parked tasks shown (a scan that stops once the
// visible rows are found, so a frame's cost follows the rows shown, not the number of tasks).

import RunvizTelemetry

extension DashboardSnapshot {
    /// Rows in `panel`'s list.
    func listCount(_ panel: Panel) -> Int {
        switch panel {
        case .workers: return runtime.workers.count
        case .readyQueue: return runtime.queuedTasks.count
        case .parkedTasks: return runtime.taskCounts.parkedTotal
        case .fds: return runtime.fds.count
        case .wakeups: return runtime.wakeups.count
        case .echo: return 0
        }
    }

    /// The task row `index` of `panel` stands for (wakeups are listed newest first).
    func task(in panel: Panel, at index: Int) -> TaskID? {
        guard index >= 0 else { return nil }
        switch panel {
        case .workers: return index < runtime.workers.count ? runtime.workers[index].state.task : nil
        case .readyQueue: return index < runtime.queuedTasks.count ? runtime.queuedTasks[index].id : nil
        case .parkedTasks: return runtime.parkedTasks(skipping: index, limit: 1).first?.id
        case .fds: return index < runtime.fds.count ? runtime.fds[index].owner : nil
        case .wakeups:
            let wakeups = runtime.wakeups
            return index < wakeups.count ? wakeups[wakeups.count - 1 - index].task : nil
        case .echo: return nil
        }
    }

    /// The followed task's timeline, if the snapshot carries that task's.
    func timeline(for task: TaskID) -> TaskTimeline? {
        timeline?.task == task ? timeline : nil
    }
}

extension RuntimeSnapshot {
    /// Parked tasks in id order, skipping the first `skipping`, at most `limit`.
    func parkedTasks(skipping: Int, limit: Int) -> [TaskSnapshot] {
        var found: [TaskSnapshot] = []
        guard limit > 0 else { return found }
        var toSkip = skipping
        for task in tasks {
            guard case .parked = task.state else { continue }
            if toSkip > 0 {
                toSkip -= 1
                continue
            }
            found.append(task)
            if found.count == limit { break }
        }
        return found
    }
}

extension TaskTimeline {
    var isComplete: Bool { entries.last?.step.isFinal ?? false }
}
