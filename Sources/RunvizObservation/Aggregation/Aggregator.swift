// Turns the runtime's event stream and counter readings into RuntimeSnapshots and lints. A value:
// it holds no hub and reads no atomics; its caller feeds it events (an EventMerger's `drain`) and
// one CounterReading per publish, so the same state can be rebuilt from a recording.
//
// Three steps, no hidden order between them:
//   - `apply(event)` changes the models: tasks (TaskModel), fds (FDModel), the wakeup-chain ring,
//     the followed task's timeline, the lints remembered from events (LintMemory), the replies
//     (in flight on their fds' records, then timed: ReplyModel) and each reply's parts with the
//     jobs long queue waits queued behind (LatencyBreakdown);
//   - `advance(now:counters:)` does what only the clock drives: evicting finished tasks, the
//     once-a-second sample of rates (RateSampler) and the busy window's checkpoints (BusyWindow);
//   - `publish(now:counters:names:)` advances, then reads everything out at one instant: the
//     snapshot, the lints of that snapshot and the followed timeline.
// A large model rebuilds its task and fd lists every `listRefresh`, not on every publish.

import RunvizTelemetry

public struct Aggregator: Sendable, Equatable {
    public var configuration: ConfigurationSummary
    public var thresholds: Thresholds
    public let startedAt: UInt64
    /// Finished tasks stay visible this long (dimmed, with who awaited them), the newest
    /// `finishedKept` at most: long enough to read, bounded however many tasks a burst ends.
    public var finishedRetention: UInt64 = 10_000_000_000
    public var finishedKept = 500
    /// How often a large model rebuilds its task and fd lists (see `smallModel`).
    public var listRefresh: UInt64 = 250_000_000
    /// Models above this many tasks rebuild their lists every `listRefresh` instead of every publish,
    /// and look for finished tasks once a second, so a frame's cost stays flat at 10,000 connections.
    static let smallModel = 2_000

    var tasks = TaskModel()
    var fds = FDModel()
    var chains = WakeupChainRing()
    var sampler: RateSampler
    var busy = BusyWindow()
    var lintMemory = LintMemory()
    var timeline = FollowedTimeline()
    var replies = ReplyModel()
    var latency: LatencyBreakdown
    /// The most tasks queued at once since the last per-second sample.
    var readyPeak = 0
    /// The last list build (large models reuse it for `listRefresh`).
    var lists: ModelLists?
    var lastEvictionAt: UInt64 = 0
    /// Events applied since the start.
    private(set) var eventsTotal: UInt64 = 0

    public init(configuration: ConfigurationSummary, startedAt: UInt64, thresholds: Thresholds = Thresholds()) {
        self.configuration = configuration
        self.thresholds = thresholds
        self.startedAt = startedAt
        self.sampler = RateSampler(startedAt: startedAt, workers: configuration.workers)
        self.latency = LatencyBreakdown(workers: configuration.workers)
    }

    /// When the per-second rates were last sampled: they cover the second that ended then.
    public var sampledAt: UInt64 { sampler.sampledAt }

    /// The task whose every step is recorded (nil: none).
    public var followed: TaskID? { timeline.task.map(TaskID.init) }

    /// Records `task`'s every step from now on (nil: stop). Resets the previous timeline.
    public mutating func follow(_ task: TaskID?) { timeline.follow(task?.raw) }

    /// The caller's CPU time spent draining and publishing, for the load figure (`Totals.aggregatorLoad`).
    public mutating func accountWork(nanos: UInt64) { sampler.accountWork(nanos: nanos) }

    /// Applies `events` in order (they must be in time order, as `EventMerger.drain` returns them).
    public mutating func apply(_ events: [RuntimeEvent]) {
        for e in events { apply(e) }
    }

    public mutating func apply(_ e: RuntimeEvent) {
        eventsTotal &+= 1
        let t = e.time
        switch e.fact {
        case .spawned(let task, let parent, let name, _):
            let late = e.detail == RuntimeEvent.announcedLate
            let sighted = e.detail == RuntimeEvent.sightedAtRun || late
            tasks.spawned(task.raw, name: name, parent: parent.raw, at: t, sighted: sighted, late: late)
            // A sighting comes at the task's first run, after its first enqueue (its spawn there).
            if !sighted { timeline.note(task.raw, t, .spawned) }
        case .scheduled(let task, let source, let argument, let queue, let ahead):
            scheduled(task, source: source, argument: argument, queue: queue, ahead: ahead, at: t)
        case .runStarted(let task, let worker): runStarted(task, worker: worker, at: t)
        case .runFinished(let task, let worker): runFinished(task, worker: worker, at: t)
        case .parked(let task, let reason, let proof, _): parked(task, on: reason, proof: proof, at: t)
        case .completed(let task, _): finished(task, completed: true, at: t)
        case .cancelled(let task, _): finished(task, completed: false, at: t)
        case .fdRegistered(let fd, _, let task, _): fds.registered(fd, owner: task.raw)
        case .fdReady(let fd, let readiness, let task, _): fdReady(fd, readiness, waking: task, at: t)
        case .fdDeregistered(let fd, _, _): fds.deregistered(fd)
        case .wrote(_, let fd, _, _):
            if let reply = fds.replied(fd) {
                replies.replied(reply, at: t)
                latency.replied(reply, at: t)
            }
        case .workerBlocked(let worker, let task, let jobStart):
            let lint = Lint(
                kind: .blockedWorker, task: task == .none ? nil : task, worker: worker, nanos: t &- jobStart)
            lintMemory.remember(lint, at: t)
            latency.blame.workerBlocked(worker: worker, task: task.raw, since: jobStart)
            let tasks = tasks
            tasks.forEachQueued { id, wake in
                latency.blame.wasQueued(id, queue: wake.queue, at: wake.at, behindJobOf: worker)
            }
        case .timerFired(let task, _, _): timeline.note(task.raw, t, .timerFired)
        case .handleAwaited(let task, let awaiter): tasks.handleAwaited(task.raw, by: awaiter.raw)
        case .handleDropped(let task): tasks.handleDropped(task.raw)
        case .workerParked, .workerUnparked, .stole, .blockingStarted, .blockingFinished: break
        }
    }
}
