// Everything about the view that is not data: focus, selection, overlays, step mode, flags.
// A pure value: keys change it (`handle(_:snapshot:lessons:width:height:)`), `Dashboard.render`
// reads it. The runtime never sees it; keys that concern the runtime come out as `Effect`s.
//
// Overlays stack in this order, topmost first: help, lesson, step mode or task detail (never
// both), dashboard. Esc closes the topmost.

import RunvizTelemetry

public struct ViewState: Equatable, Sendable {
    /// The panel that arrows, Enter and `w` act on.
    var focus: Panel = .workers
    /// Selection and scroll of each list panel (absent: top of the list).
    var lists: [Panel: ListPosition] = [:]
    /// The view is frozen (space): the caller keeps drawing the snapshot it had when pausing; the
    /// runtime keeps running.
    var paused = false
    /// While paused, the instant shown (monotonic ns) when the view went back in time with the
    /// rewind keys; nil: the frame it had when pausing, or live.
    var cursor: UInt64?
    var helpOpen = false
    /// The task whose detail (timeline, percentiles) is open.
    var detail: TaskID?
    /// How many timeline entries the detail is scrolled back from the newest.
    var detailScroll = 0
    var step: StepState?
    var lesson: LessonView?
    /// The worker timeline (`T`): open when set, with its zoom, pan and cursor; it covers the
    /// dashboard, step mode and detail, and lies under a lesson and help.
    var timeline: WorkerTimelineView?
    /// The lesson of the demo key pressed last (`L` opens it).
    var lastDemoLesson: String?
    /// How the Parked tasks list is ordered (`o`), and the text it is filtered by (`/`: a task's
    /// name, state or what it is parked on contains it; empty: no filter).
    var taskOrder = TaskOrder.newest
    var taskFilter = ""
    /// `/` was pressed: keys type into the filter until Enter (keep) or Esc (clear).
    var editingFilter = false
    /// Draw with ASCII glyphs only (`--ascii`).
    var ascii: Bool
    /// Draw with colours (`--no-color` / `NO_COLOR` turn this off; the terminal reads it).
    var color: Bool

    public init(ascii: Bool = false, color: Bool = true) {
        self.ascii = ascii
        self.color = color
    }

    func position(_ panel: Panel) -> ListPosition {
        lists[panel] ?? ListPosition()
    }

    /// The task being followed (detail or step mode): the caller sends `.follow` for it.
    var followedTask: TaskID? { step?.task ?? detail }

    var glyphs: Glyphs { .forMode(ascii: ascii) }
}
