// Whatever feeds the dashboard one DashboardSnapshot per frame: a live session (a runtime in this
// process), and later a recording played back or another process attached to. The dashboard, its
// keys and its panels do not know which. Commands that act on a runtime go to the source, which
// may decline them (a recording cannot spawn a task). Both calls come from one thread.

public protocol FrameSource: AnyObject {
    /// Everything that happened up to `now` (monotonic ns), summarised for one frame.
    func frame(now: UInt64) -> DashboardSnapshot

    /// Carries out `command`; false when this source cannot.
    @discardableResult
    func apply(_ command: Command) -> Bool
}
