// The view's time cursor against a history window that moves: while the view is rewound the live
// runtime runs on and the window drops its oldest second at a time, so an instant the cursor sits
// on can leave it. The cursor is held at the oldest instant still held instead, so it always names
// a frame that can be rebuilt, a rewind key moves it only the way it points, and the header never
// reads more seconds back than the window holds.

import RunvizObservation

extension ViewState {
    /// Moves a cursor the window has passed (or not yet reached) to the nearest instant it holds.
    mutating func holdCursor(in span: HistorySpan?) {
        guard let at = cursor, let span else { return }
        cursor = span.clamp(at)
    }
}
