// The whole frame as a pure function: snapshot + view state + size → Screen. It picks the layout,
// lets each panel draw into its rectangle, then draws the open overlay (task detail or step mode,
// then lesson, then help, topmost last). An open lesson docks in a column of its own beside a
// dashboard that still fits (at least 120 columns), so "press X and watch Y" works with the lesson
// open; on a narrower terminal it covers the dashboard. Nothing here touches the terminal; the
// cost of a frame follows the rows shown, plus one filter and sort of the parked tasks.

import RunvizObservation

enum Dashboard {
    /// The smallest terminal the dashboard draws into; below it, `render` says the terminal is too small.
    static let minimumSize = (width: DashboardLayout.minimumWidth, height: DashboardLayout.minimumHeight)

    /// `timeline`: what the source returned for the open worker timeline's window (see `DashboardLoop`).
    static func render(
        _ snapshot: DashboardSnapshot, _ view: ViewState, width: Int, height: Int, timeline: WorkerTimeline? = nil
    ) -> Screen {
        if let lesson = view.lesson, let dock = lessonDock(width: width, height: height) {
            var beside = view
            beside.lesson = nil
            var screen = Screen(width: width, height: height, asciiOnly: view.ascii)
            screen.copy(render(snapshot, beside, width: dock.x, height: height, timeline: timeline), x: 0, y: 0)
            if let layout = layout(snapshot, width: dock.x, height: height) {
                screen.fill(layout.keyBar)
                KeyBarPanel.draw(
                    view, in: layout.keyBar, on: &screen, glyphs: view.glyphs,
                    runtimeKeys: KeyMap.runtimeKeysAct(on: snapshot))
            }
            LessonOverlay.draw(lesson, in: dock, on: &screen, glyphs: view.glyphs)
            return screen
        }
        var screen = Screen(width: width, height: height, asciiOnly: view.ascii)
        let glyphs = view.glyphs
        guard let layout = layout(snapshot, width: width, height: height) else {
            TooSmallPanel.draw(on: &screen, glyphs: glyphs)
            return screen
        }
        let context = RenderContext(glyphs: glyphs, view: view, now: snapshot.runtime.takenAt)
        let runtimeKeys = KeyMap.runtimeKeysAct(on: snapshot)
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
        if let open = view.timeline {
            WorkerTimelineOverlay.draw(
                timeline, view: open, origin: snapshot.runtime.takenAt &- snapshot.runtime.uptimeNanos,
                state: view.cursor != nil ? "rewound" : view.paused ? "paused" : "live",
                in: Rect(x: 0, y: 0, width: width, height: height), on: &screen, glyphs: glyphs)
        }
        if let lesson = view.lesson {
            LessonOverlay.draw(lesson, in: layout.overlay, on: &screen, glyphs: glyphs)
        }
        if view.helpOpen {
            HelpOverlay.draw(in: layout.overlay, on: &screen, glyphs: glyphs, runtimeKeys: runtimeKeys)
        }
        if view.timeline == nil || view.helpOpen || view.lesson != nil {
            KeyBarPanel.draw(view, in: layout.keyBar, on: &screen, glyphs: glyphs, runtimeKeys: runtimeKeys)
        }
        return screen
    }

    /// The column an open lesson docks in, right of a dashboard of at least 80 (from 150 columns:
    /// 110, the wide layout); nil when the lesson would be narrower than 40 columns.
    static func lessonDock(width: Int, height: Int) -> Rect? {
        guard height >= DashboardLayout.minimumHeight else { return nil }
        let dashboardWidth = width >= 150 ? 110 : DashboardLayout.minimumWidth
        guard width - dashboardWidth >= 40 else { return nil }
        return Rect(x: dashboardWidth, y: 0, width: width - dashboardWidth, height: height)
    }

    /// Where the open lesson is drawn at this size: its dock, or over the dashboard.
    static func lessonArea(in layout: DashboardLayout) -> Rect {
        lessonDock(width: layout.header.width, height: layout.keyBar.maxY) ?? layout.overlay
    }

    static func layout(_ snapshot: DashboardSnapshot, width: Int, height: Int) -> DashboardLayout? {
        DashboardLayout(
            width: width, height: height, workerCount: snapshot.runtime.workers.count,
            demoCount: DemosPanel.count(snapshot.demos), lintCount: LintGroup.groups(snapshot.lints).count)
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
