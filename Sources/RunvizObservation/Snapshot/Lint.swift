// A warning derived from facts the runtime recorded, as numbers only: which rule fired, for which
// task and worker, how long the fact lasted and how long ago it ended. The screen owns every word
// (RunvizTUI's Lint+Display); `Codable` so `runviz serve --json` prints the same facts.

import RunvizTelemetry

public struct Lint: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, Equatable {
        /// A worker ran one job longer than the blocked threshold.
        case blockedWorker
        /// A task ran longer than the long-poll threshold without yielding.
        case longPoll
        /// A task waited in a run queue longer than the starvation threshold.
        case starvation
        /// A task is parked with nothing registered that could wake it.
        case lostWaker
    }
    public var kind: Kind
    public var task: TaskID?
    /// The task's name, when the model still knows the task.
    public var taskName: String?
    public var worker: Int?
    /// How long the fact lasted: blocked for, ran without yielding, waited in a queue, parked for.
    public var nanos: UInt64
    /// How long ago the fact ended (nil: it holds now).
    public var endedAgoNanos: UInt64?
    /// The blocked worker waits for a blocking lock (rather than running a long job).
    public var onLock: Bool
    /// What the task with a lost waker is parked on.
    public var parkReason: ParkReason?

    public init(
        kind: Kind, task: TaskID? = nil, taskName: String? = nil, worker: Int? = nil, nanos: UInt64 = 0,
        endedAgoNanos: UInt64? = nil, onLock: Bool = false, parkReason: ParkReason? = nil
    ) {
        self.kind = kind
        self.task = task
        self.taskName = taskName
        self.worker = worker
        self.nanos = nanos
        self.endedAgoNanos = endedAgoNanos
        self.onLock = onLock
        self.parkReason = parkReason
    }
}
