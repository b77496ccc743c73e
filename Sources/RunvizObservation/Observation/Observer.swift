// Turns Observations into frames: the Aggregator (tasks, fds, wakeups, rates, lints), the echo
// server's rates and the per-connection cost, and the names seen so far. A value, fed one
// observation at a time and reading nothing else, so the same sequence gives the same frames
// whether it comes from this process, a recording or another process; and a copy of it is the
// whole observed state at one instant.

import RunvizTelemetry

public struct Observer: Sendable, Equatable {
    public let setup: ObservedSetup
    public private(set) var aggregator: Aggregator
    private var echo: EchoSampler
    private var connectionCost = ConnectionCostProbe()
    /// Every name interned so far, by id.
    public private(set) var names: [String] = []
    /// The last observation's counters and echo reading (the cheap status line reads them).
    public private(set) var counters: CounterReading
    public private(set) var echoReading = EchoReading()
    /// The time of the last observation taken.
    public private(set) var now: UInt64
    /// What the last frame turn read of the process, the demos and the synthetic clients.
    private var lastProcess = ProcessSnapshot()
    private var lastDemos = DemoSnapshot()
    private var lastSyntheticClients = 0

    public init(setup: ObservedSetup, blockedNanos: UInt64? = nil) {
        self.setup = setup
        let blocked = blockedNanos ?? setup.configuration.blockedThresholdNanos
        aggregator = Aggregator(
            configuration: setup.configuration, startedAt: setup.startedAt,
            thresholds: Aggregator.Thresholds(blocked: blocked))
        echo = EchoSampler(startedAt: setup.startedAt)
        counters = .idle(workers: setup.configuration.workers)
        now = setup.startedAt
    }

    /// Takes one observation in; a frame turn returns its frame.
    @discardableResult
    public mutating func take(_ o: Observation) -> DashboardSnapshot? {
        absorb(o)
        switch o.turn {
        case .update:
            aggregator.advance(now: o.now, counters: o.counters)
            sampleEcho(o.echo, now: o.now)
            return nil
        case .frame:
            noteFrameTurn(o)
            let publication = aggregator.publish(now: o.now, counters: o.counters, names: names)
            sampleEcho(o.echo, now: o.now)
            sampleConnectionCost(o)
            let snapshot = publication.snapshot
            var process = o.process
            process.perTaskConnection = connectionCost.perTask
            process.perThreadConnection = connectionCost.perThread
            return DashboardSnapshot(
                runtime: snapshot, echo: echoSnapshot(o.echo), process: process, demos: o.demos,
                lints: publication.lints, timeline: publication.timeline,
                instrumentationCostNanos: InstrumentationCost.perJob(
                    eventsOn: o.counters.eventsEnabled, eventsPerSecond: snapshot.totals.eventsPerSecond,
                    jobsPerSecond: snapshot.workers.reduce(0) { $0 + $1.runsPerSecond },
                    eventCost: setup.eventCostNanos),
                syntheticClients: o.syntheticClients)
        }
    }

    /// Takes one observation in whose frame nobody reads, on the way to the one at `target` (later):
    /// the state afterwards is the one `take` leaves, and a frame turn builds no frame. A rewind's
    /// seek replays the turns between a keyframe and its instant so.
    public mutating func pass(_ o: Observation, toward target: UInt64) {
        guard o.turn == .frame else {
            take(o)
            return
        }
        absorb(o)
        noteFrameTurn(o)
        aggregator.publishState(now: o.now, counters: o.counters, names: names, toward: target)
        sampleEcho(o.echo, now: o.now)
        sampleConnectionCost(o)
    }

    /// What every turn takes in: its events, names and readings.
    private mutating func absorb(_ o: Observation) {
        aggregator.accountWork(nanos: o.observerNanos)
        names.append(contentsOf: o.newNames)
        aggregator.apply(o.events)
        counters = o.counters
        echoReading = o.echo
        now = o.now
    }

    /// What a frame turn reads beside the runtime, kept for `frame(after:)`.
    private mutating func noteFrameTurn(_ o: Observation) {
        lastProcess = o.process
        lastDemos = o.demos
        lastSyntheticClients = o.syntheticClients
    }

    private mutating func sampleConnectionCost(_ o: Observation) {
        connectionCost.sample(
            .init(
                tasks: o.echo.openTasks, threads: o.echo.openThreads, resident: o.process.residentBytes,
                virtual: o.process.virtualBytes, at: o.now))
    }

    /// A frame published right after `update` (an update turn this observer took last), from a copy,
    /// so this observer's state stays that of the observations alone: the turn's readings, with
    /// the process and demos of the last frame turn. How a view shows an instant no frame turn
    /// covered: a recording made without a view, or the turns of a paused one.
    public func frame(after update: Observation) -> DashboardSnapshot {
        var copy = self
        var o = update
        o.turn = .frame
        o.events = []
        o.newNames = []
        o.observerNanos = 0
        o.process = lastProcess
        o.demos = lastDemos
        o.syntheticClients = lastSyntheticClients
        return copy.take(o)!
    }

    /// Records `task`'s every step from the next observation on (nil: stop).
    public mutating func follow(_ task: TaskID?) { aggregator.follow(task) }

    /// The followed task's timeline as it stood at `instant`: its steps up to then. A view rewound
    /// into the past follows a task there (detail, step mode) with the steps the history holds.
    public func followedTimeline(upTo instant: UInt64) -> TaskTimeline? {
        guard var timeline = aggregator.timeline.timeline() else { return nil }
        timeline.entries.removeAll { $0.time > instant }
        return timeline
    }

    /// Takes the followed task and its timeline from `other` (the same observations, replayed).
    mutating func adoptTimeline(of other: Observer) { aggregator.timeline = other.aggregator.timeline }

    /// The workers at `now` from the last counters: no per-task work.
    public func workers(now: UInt64) -> [WorkerSnapshot] {
        aggregator.workers(now: now, counters: counters, names: names)
    }

    /// The Echo panel's figures as of the last observation.
    public var echoNow: EchoSnapshot { echoSnapshot(echoReading) }

    /// When the aggregator took its per-second sample in this turn, the echo counters read with it
    /// become the echo server's sample of the same second.
    private mutating func sampleEcho(_ reading: EchoReading, now: UInt64) {
        if aggregator.sampledAt == now { echo.sample(reading, at: now) }
    }

    private func echoSnapshot(_ reading: EchoReading) -> EchoSnapshot {
        echo.snapshot(reading, address: setup.echoAddress)
    }
}
