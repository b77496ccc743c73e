// The handle `spawn` returns (tokio's JoinHandle): await the task's value, cancel it, ask whether
// it has finished. The handle reports what becomes of it, so the dashboard can show who waits on
// whom and which tasks nobody waits on (the primer's forgotten await): awaiting records
// `handleAwaited` with the awaiting task, and parks that task on "join tN" while the task still
// runs; the last copy of a handle that was never awaited records `handleDropped` as it goes (its
// JoinState's deinit). A handle costs one allocation, its JoinState, made at spawn; recording either
// event is a store into a ring. A spawn refused by a runtime that has shut down returns a handle
// with no task: it is finished from the start and its value throws `RuntimeError.shutDown`.

import RunvizTelemetry
import Synchronization

/// A spawned task's handle (tokio::task::JoinHandle): await its value, cancel it, or drop it and
/// let the task run on.
public struct JoinHandle<Success: Sendable>: Sendable {
    /// The task's id, as the dashboard shows it ("t42").
    public let id: TaskID
    /// nil: the runtime had shut down, no task was started.
    let task: Task<Success, Error>?
    /// Shared by the copies of this handle only (never by the task), so its deinit is the last drop.
    let state: JoinState?

    /// The handle of a spawn the runtime refused because it had shut down.
    static func refused() -> JoinHandle {
        JoinHandle(id: TaskID.none, task: nil, state: nil)
    }

    init(id: TaskID, task: Task<Success, Error>?, state: JoinState?) {
        self.id = id
        self.task = task
        self.state = state
    }

    /// The task's result; rethrows its error (CancellationError when cancelled, `RuntimeError.shutDown`
    /// when the runtime refused the spawn). Cancelling the awaiting task does not cancel this one.
    public var value: Success {
        get async throws {
            guard let task, let state else { throw RuntimeError.shutDown }
            state.awaited(by: TaskIdentity.current)
            return try await task.value
        }
    }

    /// The task's result as a Result, never throwing.
    public var result: Result<Success, Error> {
        get async {
            guard let task, let state else { return .failure(RuntimeError.shutDown) }
            state.awaited(by: TaskIdentity.current)
            return await task.result
        }
    }

    /// Cancels the task: its next (or current) wait throws CancellationError.
    public func cancel() { task?.cancel() }

    /// Whether the task has ended (completed, failed or cancelled).
    public var isFinished: Bool { state?.isFinished ?? true }
}

/// What the copies of one JoinHandle share: the task's id and whether anyone awaited it. The task
/// itself never holds it, so the last handle going away is this object's deinit.
final class JoinState: Sendable {
    let task: UInt64
    private let recorder: Recorder
    /// The runtime's table of live tasks: the task has finished once it has left it.
    private let tasks: LiveTasks
    private let wasAwaited = Atomic<Bool>(false)

    init(task: UInt64, recorder: Recorder, tasks: LiveTasks) {
        self.task = task
        self.recorder = recorder
        self.tasks = tasks
    }

    var isFinished: Bool { !tasks.contains(task) }

    /// `awaiter` (0: a thread in `blockOn`) awaits the task: recorded, and while the task still runs,
    /// the awaiter is parked on it.
    func awaited(by awaiter: UInt64) {
        wasAwaited.store(true, ordering: .relaxed)
        recorder.record(.handleAwaited, task: task, arg: awaiter)
        if awaiter != 0, !isFinished { recorder.parked(awaiter, on: .join(TaskID(task))) }
    }

    deinit {
        if !wasAwaited.load(ordering: .relaxed) { recorder.record(.handleDropped, task: task) }
    }
}
