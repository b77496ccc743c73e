// Whatever feeds the dashboard one DashboardSnapshot per frame: a live session (a runtime in this
// process), and later a recording played back or another process attached to. The dashboard, its
// keys and its panels do not know which. A source that keeps a history (each frame's `history`
// says which stretch) rebuilds the frame of any instant in it for the rewind keys. Commands that act on a runtime go to the source; one that
// cannot carry a command out (a recording cannot spawn a task) says so in its next frame, the only
// channel back to the screen. All calls come from one thread.

public protocol FrameSource: AnyObject {
    /// Takes in what happened up to `now` (monotonic ns) without building a frame: the turns of a
    /// paused view, which keep drawing an older frame.
    func update(now: UInt64)

    /// Everything that happened up to `now`, summarised for one frame.
    func frame(now: UInt64) -> DashboardSnapshot

    /// The frame shown at `instant` (monotonic ns) in the past, rebuilt from the source's history
    /// (nil: the instant is outside the stretch the source keeps, or it keeps none).
    func frame(at instant: UInt64) -> DashboardSnapshot?

    /// The stretch of the past the source holds now (nil: none).
    var history: HistorySpan? { get }

    /// What every worker and blocking-pool thread did over [from, to) (monotonic ns), in `columns`
    /// columns, from the source's history (nil: the source holds none of it).
    func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline?

    /// Carries out `command`, or says in the next frame why it cannot.
    func apply(_ command: Command)
}
