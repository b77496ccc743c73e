// Step mode (`w`): which task is followed and how many of its timeline steps are revealed.
// `index` is the current step's number since following began (the timeline's `firstIndex` counts
// the steps it dropped, so the walk stays on the step it is on while new ones arrive and old ones
// go); it may equal the number of recorded steps, which means "waiting for the next one", and then
// shows the next step as soon as it arrives.

import RunvizTelemetry

public struct StepState: Equatable, Sendable {
    public var task: TaskID
    public var index: Int

    public init(task: TaskID, index: Int = 0) {
        self.task = task
        self.index = index
    }
}
