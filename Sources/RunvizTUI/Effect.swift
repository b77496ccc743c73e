// What the caller must do after a key, beyond redrawing with the new `ViewState`.

import RunvizTelemetry

public enum Effect: Equatable, Sendable {
    /// Apply to the runtime (includes `.quit` and `.follow`).
    case command(Command)
    /// Flip event recording (instrumentation) on or off.
    case toggleInstrumentation
}
