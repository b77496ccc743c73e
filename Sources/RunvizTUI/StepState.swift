// Step mode (`w`): which task is followed and how many of its timeline steps are revealed.
// `index` is the current step's number since following began (the timeline's `firstIndex` counts
// the steps it dropped, so the walk stays on the step it is on while new ones arrive and old ones
// go); it may equal the number of recorded steps, which means "waiting for the next one", and then
// shows the next step as soon as it arrives.
//
// A walk opens unplaced, with a `start`: live, the first wakeup that begins after the frame on
// screen (the timeline the source rebuilds on `follow` holds the task's whole past, and step one
// of it is a minute old); rewound, the last wakeup that began at or before the view's instant —
// the one whose effects the rewound panels show, where the timeline ends. The first frame whose
// timeline holds that wakeup places it; `End` places it at the latest step instead.

import RunvizObservation
import RunvizTelemetry

struct StepState: Equatable, Sendable {
    enum Start: Equatable, Sendable {
        /// The first wakeup that begins after this instant (or the task's end, if that comes first).
        case nextWakeup(after: UInt64)
        /// The last wakeup that began at or before this instant (else the last step up to it).
        case lastWakeup(atOrBefore: UInt64)
    }

    var task: TaskID
    var index: Int
    /// Where the walk begins, until a timeline holds it (nil: placed; `index` is the step shown).
    var start: Start?

    init(task: TaskID, index: Int = 0, start: Start? = nil) {
        self.task = task
        self.index = index
        self.start = start
    }

    /// Places an unplaced walk once `timeline` (the followed task's) holds its start.
    mutating func place(in timeline: TaskTimeline?) {
        guard let start, let timeline, timeline.task == task else { return }
        let entries = timeline.entries
        switch start {
        case .nextWakeup(let after):
            let found = entries.indices.first {
                entries[$0].time > after && (timeline.beginsWakeup(at: $0) || entries[$0].step.isFinal)
            }
            guard let found else { return }
            index = timeline.firstIndex + found
        case .lastWakeup(let instant):
            let held = entries.indices.filter { entries[$0].time <= instant }
            let found = held.last { timeline.beginsWakeup(at: $0) } ?? held.last ?? 0
            index = timeline.firstIndex + found
        }
        self.start = nil
    }

    /// Places the walk on the newest step recorded (no-op while none is).
    mutating func placeAtLatest(in timeline: TaskTimeline?) {
        guard let timeline, timeline.task == task, !timeline.entries.isEmpty else { return }
        index = timeline.firstIndex + timeline.entries.count - 1
        start = nil
    }
}
