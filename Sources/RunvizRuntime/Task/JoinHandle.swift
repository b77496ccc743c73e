// The handle `spawn` returns (tokio's JoinHandle): await the task's value, cancel it, ask whether
// it has finished. Awaiting records the awaiting task as parked on "join tN" when the task is still
// running, so the dashboard shows who waits on whom. A spawn refused by a runtime that has shut down
// returns a handle with no task: it is finished from the start and its value throws
// `RuntimeError.shutDown`.

import RunvizTelemetry
import Synchronization

/// A spawned task's handle (tokio::task::JoinHandle): await its value, cancel it, or drop it and
/// let the task run on.
public struct JoinHandle<Success: Sendable>: Sendable {
    /// The task's id, as the dashboard shows it ("t42").
    public let id: TaskID
    /// nil: the runtime had shut down, no task was started.
    let task: Task<Success, Error>?
    let finished: FinishFlag
    let recorder: Recorder

    /// The handle of a spawn the runtime refused because it had shut down.
    static func refused(recorder: Recorder) -> JoinHandle {
        let finished = FinishFlag()
        finished.set()
        return JoinHandle(id: TaskID.none, task: nil, finished: finished, recorder: recorder)
    }

    init(id: TaskID, task: Task<Success, Error>?, finished: FinishFlag, recorder: Recorder) {
        self.id = id
        self.task = task
        self.finished = finished
        self.recorder = recorder
    }

    /// The task's result; rethrows its error (CancellationError when cancelled, `RuntimeError.shutDown`
    /// when the runtime refused the spawn). Cancelling the awaiting task does not cancel this one.
    public var value: Success {
        get async throws {
            guard let task else { throw RuntimeError.shutDown }
            if !finished.isSet { recorder.parked(TaskIdentity.current, on: .join(id)) }
            return try await task.value
        }
    }

    /// The task's result as a Result, never throwing.
    public var result: Result<Success, Error> {
        get async {
            guard let task else { return .failure(RuntimeError.shutDown) }
            return await task.result
        }
    }

    /// Cancels the task: its next (or current) wait throws CancellationError.
    public func cancel() { task?.cancel() }

    /// Whether the task has ended (completed, failed or cancelled).
    public var isFinished: Bool { finished.isSet }
}

final class FinishFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
