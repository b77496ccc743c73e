// What one `Aggregator.publish` hands out: the snapshot, the lints derived from the same facts at
// the same instant, and the followed task's timeline (nil when nothing is followed).

public struct Publication: Sendable, Equatable {
    public var snapshot: RuntimeSnapshot
    public var lints: [Lint]
    public var timeline: TaskTimeline?

    public init(snapshot: RuntimeSnapshot, lints: [Lint] = [], timeline: TaskTimeline? = nil) {
        self.snapshot = snapshot
        self.lints = lints
        self.timeline = timeline
    }
}
