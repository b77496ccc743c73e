// What a key means in the current view: a command for the runtime, or a change to the view.
// `KeyMap.action(for:in:)` chooses it; `ViewState.apply` carries it out.

import RunvizObservation

enum Action: Equatable, Sendable {
    /// An intent for the frame source (spawn, block, demos, instrumentation).
    case command(Command)
    /// Leave the dashboard.
    case quit
    case focusNext
    case focusPrevious
    /// Move the selection (or scroll the open overlay) by rows; positive is down.
    case move(Int)
    /// Move by pages; positive is down.
    case page(Int)
    /// Open the selected task's detail and follow it.
    case openDetail
    /// Enter step mode on the selected (or detailed) task and follow it.
    case stepMode
    case nextStep
    case previousStep
    /// In step mode: jump to the newest step recorded.
    case latestStep
    /// Close the topmost overlay (help, lesson, step mode, detail).
    case leave
    case toggleHelp
    /// Pause the view (the runtime runs on), or go back to live.
    case togglePause
    /// Pause and move the time cursor by this many nanoseconds (negative: back), within the history.
    case rewind(Int64)
    /// Pause at the oldest instant the history holds.
    case rewindToOldest
    /// Leave the past: live frames again.
    case backToLive
    /// Open the lesson for the last demo, or for the focused panel.
    case openLesson
    /// Show the next (positive) or previous lesson in teaching order.
    case switchLesson(Int)
    /// Order the Parked tasks list the next way (`o`).
    case cycleTaskOrder
    /// Start typing a filter for the Parked tasks list (`/`).
    case editFilter
    /// While typing the filter: one more character, one less, or done (keep it, or clear it).
    case filterInput(Character)
    case filterBackspace
    case endFilter(keep: Bool)
    /// Open or close the worker timeline (`T`).
    case toggleTimeline
    /// In the worker timeline: finer (negative) or coarser zoom, by steps.
    case zoomTimeline(Int)
    /// In the worker timeline: move the cursor by cells (positive: later) or by rows (positive: down).
    case timelineCursor(Int)
    case timelineRow(Int)
    /// In the worker timeline: pan by half screens (negative: back in time).
    case panTimeline(Int)
}
