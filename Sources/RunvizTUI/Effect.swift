// What the caller must do after a key, beyond redrawing with the new `ViewState`: hand a command
// to the frame source, or stop the loop.

import RunvizObservation

enum Effect: Equatable, Sendable {
    /// For the frame source (a live session applies it to its runtime).
    case command(Command)
    /// Leave the dashboard.
    case quit
}
