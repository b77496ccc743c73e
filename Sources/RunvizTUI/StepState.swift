// Step mode (`w`): which task is followed and how many of its timeline steps are revealed.
// `index` is the current step; it may equal the number of recorded steps, which means "waiting for
// the next one" (the timeline is still growing), and then shows the next step as soon as it arrives.

import RunvizTelemetry

public struct StepState: Equatable, Sendable {
    public var task: TaskID
    public var index: Int

    public init(task: TaskID, index: Int = 0) {
        self.task = task
        self.index = index
    }
}
