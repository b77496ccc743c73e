// The whole frame as a pure function: snapshot + view state + size → Screen. It picks the layout,
// lets each panel draw into its rectangle, then draws the open overlay (task detail or step mode,
// then lesson, then help, topmost last). Nothing here touches the terminal; the cost of a frame
// follows the rows shown, not the number of tasks (no panel sorts or filters the task list; the
// parked-tasks list stops scanning at its last visible row).

import RunvizTelemetry

public enum Dashboard {
    /// The smallest terminal the dashboard draws into; below it, `render` says the terminal is too small.
    public static let minimumSize = (width: DashboardLayout.minimumWidth, height: DashboardLayout.minimumHeight)

    public static func render(_ snapshot: DashboardSnapshot, _ view: ViewState, width: Int, height: Int) -> Screen {
        var screen = Screen(width: width, height: height, asciiOnly: view.ascii)
        let glyphs = view.glyphs
        guard let layout = layout(snapshot, width: width, height: height) else {
            TooSmallPanel.draw(on: &screen, glyphs: glyphs)
            return screen
        }
        let context = RenderContext(glyphs: glyphs, view: view, now: snapshot.runtime.takenAt)
        HeaderPanel.draw(snapshot, in: layout.header, on: &screen, context: context)
        WorkersPanel.draw(snapshot, in: layout.workers, on: &screen, context: context)
        ReadyQueuePanel.draw(snapshot, in: layout.readyQueue, on: &screen, context: context)
        ParkedTasksPanel.draw(snapshot, in: layout.parkedTasks, on: &screen, context: context)
        EchoPanel.draw(snapshot, in: layout.echo, on: &screen, context: context)
        FDsPanel.draw(snapshot, in: layout.fds, on: &screen, context: context)
        WakeupsPanel.draw(snapshot, in: layout.wakeups, on: &screen, context: context)
        DemosPanel.draw(snapshot, in: layout.demos, on: &screen, context: context)
        LintsPanel.draw(snapshot, in: layout.lints, on: &screen, context: context)
        if let divider = layout.divider {
            screen.fill(divider, with: glyphs.vertical, style: .dim)
        }
        if let step = view.step {
            StepModeOverlay.draw(snapshot, step: step, in: layout.overlay, on: &screen, context: context)
        } else if let task = view.detail {
            TaskDetailOverlay.draw(snapshot, task: task, in: layout.overlay, on: &screen, context: context)
        }
        if let lesson = view.lesson {
            LessonOverlay.draw(lesson, in: layout.overlay, on: &screen, glyphs: glyphs)
        }
        if view.helpOpen {
            HelpOverlay.draw(in: layout.overlay, on: &screen, glyphs: glyphs)
        }
        KeyBarPanel.draw(view, in: layout.keyBar, on: &screen, glyphs: glyphs)
        return screen
    }

    static func layout(_ snapshot: DashboardSnapshot, width: Int, height: Int) -> DashboardLayout? {
        DashboardLayout(
            width: width, height: height, workerCount: snapshot.runtime.workers.count,
            demoCount: DemosPanel.count(snapshot.demos), lintCount: snapshot.lints.count)
    }

    /// Rows of `panel`'s list visible at this size (what PgUp/PgDn move by).
    static func listRows(_ panel: Panel, in layout: DashboardLayout) -> Int {
        let rect = layout.rect(for: panel)
        switch panel {
        case .workers: return WorkersPanel.listRows(in: rect)
        case .readyQueue: return ReadyQueuePanel.listRows(in: rect)
        case .parkedTasks: return ParkedTasksPanel.listRows(in: rect)
        case .fds: return FDsPanel.listRows(in: rect)
        case .wakeups: return WakeupsPanel.listRows(in: rect)
        case .echo: return 0
        }
    }
}
