// What became of a spawned task's JoinHandle, as the events tell it: held, awaited by a task (which
// one), or dropped before anyone awaited it (the primer's "forgetting await": the task runs on and
// its result is lost). Child tasks (`async let`, task groups) have none: their parent awaits them
// by construction.

import RunvizTelemetry

public enum JoinHandleState: Sendable, Codable, Equatable, Hashable {
    /// No JoinHandle the runtime handed out: a child task, or a task another executor created.
    case noHandle
    /// `spawn` returned a handle that nobody has awaited or dropped so far.
    case held
    /// Awaited by `TaskID` (`TaskID.none`: by a thread blocked in `blockOn`).
    case awaited(by: TaskID)
    /// Dropped before anyone awaited it: nobody will see the task's result.
    case dropped
}
