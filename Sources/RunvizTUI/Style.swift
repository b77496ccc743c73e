// The roles a cell can play on screen. Panels pick a role, never a colour: `Theme` alone decides
// how each role looks, with colour or without. Every role that carries meaning (a worker's state,
// a warning) is also spelled out by a word or glyph next to it, so the screen reads in monochrome.

enum Style: UInt8, CaseIterable, Sendable, Hashable {
    case normal
    case dim
    case bold
    /// A panel's title line.
    case title
    /// The title of the panel that has the keyboard focus.
    case focusedTitle
    /// A worker running a job; a task running.
    case running
    /// A worker searching for work.
    case idle
    /// A parked worker or a parked task.
    case parked
    /// A worker stuck in one job past the blocked threshold, or on a blocking lock.
    case blocked
    /// Lints, dropped events, the PAUSED marker.
    case warning
    /// The selected row of the focused list.
    case selected
    /// The current step in step mode.
    case current
}
