// The handle `spawn` returns (tokio's JoinHandle): await the task's value, cancel it, ask whether
// it has finished. Awaiting records the awaiting task as parked on "join tN" when the task is still
// running, so the dashboard shows who waits on whom.

import RunvizTelemetry
import Synchronization

public struct JoinHandle<Success: Sendable>: Sendable {
    public let id: TaskID
    let task: Task<Success, Error>
    let finished: FinishFlag
    let recorder: Recorder

    /// The task's result; rethrows its error (CancellationError when cancelled).
    public var value: Success {
        get async throws {
            if !finished.isSet { recorder.parked(TaskIdentity.current, on: .join(id)) }
            return try await task.value
        }
    }

    /// The task's result as a Result, never throwing.
    public var result: Result<Success, Error> {
        get async { await task.result }
    }

    public func cancel() { task.cancel() }

    public var isFinished: Bool { finished.isSet }
}

final class FinishFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
