// One observed run as every frame source holds it (the live Session, a recording played back,
// another process attached to): the Observer that turns its observations into frames, the
// history that keeps them for the rewind keys, and the newest frame. A source feeds it
// observations and answers the dashboard's questions about the past from it; what stays in the
// source is its own (a runtime and demos, a file and its clock, a socket and its reconnects).
//
// Invariants: the history records each observation just before the observer takes it (so its
// keyframes are this observer's states); every frame it returns carries the history's span
// (nil: no history kept); a frame of the past carries the followed task's steps up to its instant.

import RunvizTelemetry

public struct ObservedRun: Sendable {
    public private(set) var observer: Observer
    /// The last stretch of observations, for the rewind keys (nil: none kept).
    private var past: ObservationHistory?
    private var lastFrame: DashboardSnapshot?
    /// The last observation taken, when it was an update turn (its frame is published on demand).
    private var lastUpdate: Observation?

    /// A run of `setup`, keeping a history within `history` (nil: none).
    public init(setup: ObservedSetup, history: ObservationHistory.Limits?) {
        observer = Observer(setup: setup)
        past = history.map { ObservationHistory(limits: $0) }
    }

    /// Takes one observation in: the history keeps it, the observer takes it; a frame turn
    /// returns its frame.
    public mutating func take(_ o: Observation) -> DashboardSnapshot? {
        past?.record(o, before: observer)
        guard var frame = observer.take(o) else {
            lastUpdate = o
            return nil
        }
        lastFrame = frame
        lastUpdate = nil
        frame.history = past?.span
        return frame
    }

    /// The newest frame: the last frame turn's, or, when an update turn came after it (a recording
    /// made without a view), one published at that turn. nil: no observation taken yet.
    public mutating func latestFrame() -> DashboardSnapshot? {
        if let update = lastUpdate {
            lastFrame = observer.frame(after: update)
            lastUpdate = nil
        }
        guard var frame = lastFrame else { return nil }
        frame.history = past?.span
        return frame
    }

    /// The frame shown at `instant`, rebuilt from the history, with the task followed now and its
    /// steps up to the instant (nil: outside the history, or none kept).
    public func frame(at instant: UInt64) -> DashboardSnapshot? {
        guard let past, var frame = past.frame(at: instant) else { return nil }
        frame.history = past.span
        if let timeline = observer.followedTimeline(upTo: instant) { frame.timeline = timeline }
        return frame
    }

    /// The stretch of the past held (nil: none).
    public var history: HistorySpan? { past?.span }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        past?.workerTimeline(from: from, to: to, columns: columns)
    }

    /// Follows `task` (nil: stop); with a history, its steps since the oldest instant held are
    /// there at once.
    public mutating func follow(_ task: TaskID?) {
        if let past { observer = past.following(task, observer) } else { observer.follow(task) }
    }

    /// The frame before any observation: `setup`'s runtime, idle.
    public static func idleFrame(_ setup: ObservedSetup) -> DashboardSnapshot {
        var observer = Observer(setup: setup)
        let idle = Observation(
            turn: .frame, now: setup.startedAt, counters: .idle(workers: setup.configuration.workers))
        return observer.take(idle)!
    }
}
