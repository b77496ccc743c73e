// Applying keys to the view: `handle` looks the key up in the `KeyMap` and carries the action out
// against the snapshot on screen (the selected row's task is resolved from the same list that is
// drawn, and in lists of tasks the selection remembers that task, so Enter opens the task the
// learner chose however the rows moved since) and the terminal size (pages and scroll limits follow
// the layout). Runtime intents come back as `Effect`s; the view never calls the runtime.
//
// Following: opening a task's detail or step mode returns `.follow(task)`; leaving them returns
// `.follow(nil)`, so the aggregator records one timeline at a time.
//
// `L` opens, in step mode, "14-wakeup-timeline"; in task detail, "02-mental-model"; otherwise the
// lesson of the demo key pressed last (`lastDemoLesson`), or the focused panel's when none was
// pressed since the focus last moved.

import RunvizObservation
import RunvizTelemetry

extension ViewState {
    /// Handles one key press. Returns what the caller must do besides redrawing.
    mutating func handle(
        _ key: Key, snapshot: DashboardSnapshot, lessons: LessonCatalog, width: Int, height: Int
    ) -> [Effect] {
        guard let action = KeyMap.action(for: key, in: self) else { return [] }
        return apply(action, snapshot: snapshot, lessons: lessons, width: width, height: height)
    }

    mutating func apply(
        _ action: Action, snapshot: DashboardSnapshot, lessons: LessonCatalog, width: Int, height: Int
    ) -> [Effect] {
        let layout = Dashboard.layout(snapshot, width: width, height: height)
        switch action {
        case .command(let command):
            if let id = LessonCatalog.lessonID(for: command) { lastDemoLesson = id }
            return [.command(command)]
        case .quit:
            return [.quit]
        case .focusNext:
            focus = focus.next(1)
            lastDemoLesson = nil  // moving to a panel asks about that panel
        case .focusPrevious:
            focus = focus.next(-1)
            lastDemoLesson = nil
        case .move(let rows):
            scroll(by: rows, pages: false, snapshot: snapshot, layout: layout, glyphs: glyphs)
        case .page(let pages):
            scroll(by: pages, pages: true, snapshot: snapshot, layout: layout, glyphs: glyphs)
        case .openDetail:
            guard let task = selectedTask(snapshot, layout: layout) else { return chooseATask() }
            detail = task
            detailScroll = 0
            step = nil
            return [.command(.follow(task))]
        case .stepMode:
            guard let task = detail ?? selectedTask(snapshot, layout: layout) else { return chooseATask() }
            let alreadyFollowed = followedTask == task
            // Live: the next wakeup after the frame on screen; rewound: the last one up to the view's instant.
            var walk = StepState(
                task: task,
                start: cursor.map { .lastWakeup(atOrBefore: $0) } ?? .nextWakeup(after: snapshot.runtime.takenAt))
            walk.place(in: snapshot.timeline(for: task))
            step = walk
            detail = nil
            return alreadyFollowed ? [] : [.command(.follow(task))]
        case .nextStep:
            guard var current = step else { return [] }
            let timeline = snapshot.timeline(for: current.task)
            // A walk not yet placed shows its first step before this key moves it on.
            guard current.start == nil else {
                current.place(in: timeline)
                step = current
                return []
            }
            let count = timeline.map { $0.firstIndex + $0.entries.count } ?? 0
            let last = timeline?.isComplete == true ? max(0, count - 1) : count
            current.index = max(timeline?.firstIndex ?? 0, min(current.index + 1, last))
            step = current
        case .previousStep:
            guard var current = step else { return [] }
            let timeline = snapshot.timeline(for: current.task)
            // Back from waiting for the next wakeup: the newest step that happened.
            guard current.start == nil else {
                current.place(in: timeline)
                if current.start != nil { current.placeAtLatest(in: timeline) }
                step = current
                return []
            }
            let count = timeline.map { $0.firstIndex + $0.entries.count } ?? 0
            current.index = max(timeline?.firstIndex ?? 0, min(current.index, count) - 1)
            step = current
        case .latestStep:
            guard var current = step else { return [] }
            current.placeAtLatest(in: snapshot.timeline(for: current.task))
            step = current
        case .leave:
            return leave()
        case .toggleHelp:
            helpOpen.toggle()
        case .togglePause:
            paused.toggle()
            if !paused { cursor = nil }
        case .rewind(let nanos):
            guard let span = snapshot.history else { return [] }
            // From an instant the window holds, so a key never moves the cursor against its arrow.
            let from = Int64(clamping: span.clamp(cursor ?? snapshot.runtime.takenAt))
            cursor = span.clamp(UInt64(clamping: max(0, from &+ nanos)))
            paused = true
        case .rewindToOldest:
            guard let span = snapshot.history else { return [] }
            cursor = span.oldest
            paused = true
        case .backToLive:
            cursor = nil
            paused = false
        case .openLesson:
            let id: String
            if step != nil {
                id = "14-wakeup-timeline"
            } else if detail != nil {
                id = "02-mental-model"
            } else {
                id = lastDemoLesson ?? focus.lessonID
            }
            lesson = LessonView(lesson: lessons.lessonOrPlaceholder(id))
        case .cycleTaskOrder:
            taskOrder = taskOrder.next
            keepParkedSelection()
        case .editFilter:
            editingFilter = true
        case .filterInput(let character):
            taskFilter.append(character)
            keepParkedSelection()
        case .filterBackspace:
            if !taskFilter.isEmpty { taskFilter.removeLast() }
            keepParkedSelection()
        case .endFilter(let keep):
            editingFilter = false
            if !keep {
                taskFilter = ""
                keepParkedSelection()
            }
        case .toggleTimeline:
            timeline = timeline == nil ? WorkerTimelineView() : nil
        case .zoomTimeline(let steps):
            timeline?.zoom(steps)
        case .timelineCursor(let cells):
            timeline?.moveCursor(cells, columns: WorkerTimelineOverlay.columns(width: width))
        case .timelineRow(let rows):
            if let open = timeline { timeline?.row = max(0, open.row + rows) }
        case .panTimeline(let halves):
            timeline?.pan(halves, columns: WorkerTimelineOverlay.columns(width: width))
        case .switchLesson(let offset):
            guard let current = lesson, let id = lessons.neighbour(of: current.lesson.id, offset: offset) else {
                return []
            }
            lesson = LessonView(lesson: lessons.lessonOrPlaceholder(id))
        }
        return []
    }

    /// The task of the focused list's selected row, as drawn.
    func selectedTask(_ snapshot: DashboardSnapshot, width: Int, height: Int) -> TaskID? {
        selectedTask(snapshot, layout: Dashboard.layout(snapshot, width: width, height: height))
    }

    private func selectedTask(_ snapshot: DashboardSnapshot, layout: DashboardLayout?) -> TaskID? {
        guard focus.isList else { return nil }
        let rows = layout.map { Dashboard.listRows(focus, in: $0) } ?? 1
        return snapshot.task(in: focus, at: snapshot.position(focus, self, rows: rows).selected, self)
    }

    /// Enter or `w` where the selection is on no task (an idle worker, the Echo panel): the Parked
    /// tasks list takes the focus, its selection shows, and the same key then opens the task it is on.
    private mutating func chooseATask() -> [Effect] {
        guard focus != .parkedTasks else { return [] }
        focus = .parkedTasks
        return []
    }

    /// After the Parked tasks list is reordered or refiltered: back to its top, unless the selected
    /// task is still listed, where the selection finds it.
    private mutating func keepParkedSelection() {
        lists[.parkedTasks] = ListPosition(task: position(.parkedTasks).task)
    }

    private mutating func leave() -> [Effect] {
        if helpOpen {
            helpOpen = false
        } else if lesson != nil {
            lesson = nil
        } else if timeline != nil {
            timeline = nil
        } else if step != nil {
            step = nil
            return [.command(.follow(nil))]
        } else if detail != nil {
            detail = nil
            detailScroll = 0
            return [.command(.follow(nil))]
        }
        return []
    }

    private mutating func scroll(
        by amount: Int, pages: Bool, snapshot: DashboardSnapshot, layout: DashboardLayout?, glyphs: Glyphs
    ) {
        guard let layout else { return }
        if var open = lesson {
            let area = Dashboard.lessonArea(in: layout)
            let rows = LessonOverlay.textRows(in: area)
            let limit = LessonOverlay.maxScroll(open.lesson, in: area, glyphs: glyphs)
            open.scroll = min(max(0, min(open.scroll, limit) + amount * (pages ? max(1, rows - 1) : 1)), limit)
            lesson = open
        } else if let task = detail {
            let rows = TaskDetailOverlay.timelineRows(in: layout.overlay)
            let count = snapshot.timeline(for: task)?.entries.count ?? 0
            let limit = max(0, count - rows)
            let delta = -amount * (pages ? max(1, rows - 1) : 1)
            detailScroll = min(max(0, min(detailScroll, limit) + delta), limit)
        } else if focus.isList {
            let rows = Dashboard.listRows(focus, in: layout)
            let count = snapshot.listCount(focus, self)
            var moved = snapshot.position(focus, self, rows: rows)
                .moved(by: amount * (pages ? max(1, rows) : 1), count: count, rows: rows)
            if DashboardSnapshot.selectionFollowsTask(focus) {
                moved.task = snapshot.task(in: focus, at: moved.selected, self)
            }
            lists[focus] = moved
        }
    }
}
