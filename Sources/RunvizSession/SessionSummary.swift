// The figures `runviz serve` prints once a second: read from counters and worker states, so taking
// one costs no work per task however many connections are open.

import RunvizObservation

public struct SessionSummary: Sendable, Equatable {
    public var workers: [WorkerSnapshot]
    public var echo: EchoSnapshot
    public var replies: ReplyLatency
    public var process: ProcessSnapshot
    /// Tasks spawned and not yet finished.
    public var liveTasks: Int
    /// fds registered with the reactor.
    public var registeredFDs: Int
    public var droppedEvents: UInt64
}
