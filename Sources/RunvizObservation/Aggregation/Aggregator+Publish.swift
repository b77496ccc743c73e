// Reading the models out as values at one instant: the RuntimeSnapshot (the reading's counters for
// workers and queues, the models for tasks, fds and wakeups), the lints of that same snapshot and
// the followed timeline. Publishing twice at the same instant with the same reading gives the same
// publication. `workers` is the cheap path: worker states and rates only, no per-task work.

import RunvizTelemetry

extension Aggregator {
    /// Evicts finished tasks and takes the per-second sample when one is due. `publish` does this
    /// first; call it on turns that do not publish (a paused view, serve between lines) to keep
    /// samples on time and the model small.
    public mutating func advance(now: UInt64, counters: CounterReading) {
        // A large model looks for finished tasks once a second, not on every turn.
        if tasks.count < Self.smallModel || now &- lastEvictionAt >= 1_000_000_000 {
            tasks.evictFinished(now: now, retention: finishedRetention, kept: finishedKept)
            lastEvictionAt = now
        }
        busy.note(now: now, counters: counters)
        let sampled = sampler.sample(
            now: now, counters: counters, events: eventsTotal, wakesBySource: tasks.wakesBySource, readyPeak: readyPeak)
        if sampled {
            tasks.shrinkIfSparse()
            fds.shrinkIfSparse()
            readyPeak = tasks.queued
            replies.closeWindow()
            latency.closeWindow(at: now)
        }
    }

    /// The snapshot at `now` from `counters` (read at `now`), its lints and the followed timeline.
    /// `names` is the hub's name table (`NameTable.all()`).
    public mutating func publish(now: UInt64, counters: CounterReading, names: [String]) -> Publication {
        advance(now: now, counters: counters)
        configuration.instrumentation = counters.eventsEnabled
        if listsDue(at: now) { lists = buildLists(now: now, counters: counters, names: names) }
        let lists = self.lists!
        let workers = workers(now: now, counters: counters, names: names)
        let snapshot = RuntimeSnapshot(
            configuration: configuration, takenAt: now, uptimeNanos: now &- startedAt, workers: workers,
            injectQueueDepth: counters.injectQueueDepth, readyQueueHistory: sampler.readyHistory,
            queuedTasks: lists.queued(at: now), blockingPool: counters.blockingPool, tasks: lists.tasks,
            taskCounts: lists.counts, fds: lists.fds, wakeups: chains.ordered(names: names),
            wakeupsPerSecond: sampler.wakesPerSecond, replies: replies(now: now),
            latency: latency(now: now, names: names),
            totals: Totals(
                events: eventsTotal, eventsPerSecond: sampler.eventsPerSecond, droppedEvents: counters.droppedEvents,
                spawned: counters.tasksSpawned, finished: counters.tasksFinished,
                polls: counters.workers.reduce(0) { $0 + $1.runs }, wakes: tasks.wakes,
                steals: counters.workers.reduce(0) { $0 + $1.steals }, aggregatorLoad: sampler.load))
        rememberBlockedWorkers(workers, at: now)
        lintMemory.forget(before: now)
        let lints = LintRules.lints(
            of: snapshot, lostWakers: lists.lostWakers, memory: lintMemory, thresholds: thresholds)
        if let followed = timeline.task, let name = tasks.knownName(of: followed, names) { timeline.named(name) }
        return Publication(snapshot: snapshot, lints: lints, timeline: timeline.timeline())
    }

    /// What `publish` at `now` changes, without the publication: a frame turn replayed on the way
    /// to a later one at `target`, whose frame alone is read (a rewind's seek). Everything `publish`
    /// keeps is kept the same, but for one saving: lists due now are left empty, marked built now,
    /// when a rebuild due by `target` will replace them before anything reads them (`target` is at
    /// least `listRefresh` later, so the frame at `target`, if no turn before it, rebuilds).
    public mutating func publishState(now: UInt64, counters: CounterReading, names: [String], toward target: UInt64) {
        advance(now: now, counters: counters)
        configuration.instrumentation = counters.eventsEnabled
        if listsDue(at: now) {
            lists =
                target >= now &+ listRefresh
                ? ModelLists(unreadAt: now) : buildLists(now: now, counters: counters, names: names)
        }
        rememberBlockedWorkers(workers(now: now, counters: counters, names: names), at: now)
        lintMemory.forget(before: now)
        if let followed = timeline.task, let name = tasks.knownName(of: followed, names) { timeline.named(name) }
    }

    /// Whether `publish` at `now` rebuilds the task and fd lists (a large model keeps them `listRefresh`).
    private func listsDue(at now: UInt64) -> Bool {
        lists == nil || tasks.count < Self.smallModel || now &- lists!.builtAt >= listRefresh
    }

    private func buildLists(now: UInt64, counters: CounterReading, names: [String]) -> ModelLists {
        ModelLists(
            tasks: tasks, fds: fds, now: now, names: names, finished: counters.tasksFinished,
            lostWakerAfter: thresholds.lostWaker, globalExecutor: configuration.globalExecutor)
    }

    /// Keeps each blocked worker's episode current in the memory, so it is remembered even when the
    /// job's end is never seen (events off or dropped), and a wait on a blocking lock stays one.
    private mutating func rememberBlockedWorkers(_ workers: [WorkerSnapshot], at now: UInt64) {
        for w in workers {
            let lint: Lint
            switch w.state {
            case .blocked(let t, let name, let ns) where t == .none:
                lint = Lint(kind: .blockedWorker, taskName: name.isEmpty ? nil : name, worker: w.index, nanos: ns)
            case .blocked(let t, _, let ns): lint = Lint(kind: .blockedWorker, task: t, worker: w.index, nanos: ns)
            case .blockedOnLock(let t, _, let ns) where ns > thresholds.blocked:
                lint = Lint(kind: .blockedWorker, task: t, worker: w.index, nanos: ns, onLock: true)
            default: continue
            }
            lintMemory.remember(lint, at: now)
        }
    }

    /// The workers alone, from `counters` and the last sample: no per-task work.
    public func workers(now: UInt64, counters: CounterReading, names: [String]) -> [WorkerSnapshot] {
        counters.workers.enumerated().map { i, w in
            // A default actor's job is no task's: it shows as its actor ("actor Inventory").
            let actor = ActorJob.nameID(in: w.currentTask)
            let task = actor == nil ? w.currentTask : 0
            let started = w.jobStartedAt
            let running = started != 0 && now > started ? now - started : 0
            let taskName =
                actor.map { Int($0) < names.count ? "actor \(names[Int($0)])" : "an actor" }
                ?? tasks.displayName(of: task, names)
            let state: WorkerSnapshot.State
            switch w.activity {
            case .running where started != 0:
                state =
                    running > thresholds.blocked
                    ? .blocked(TaskID(task), name: taskName, forNanos: running)
                    : .running(TaskID(task), name: taskName, forNanos: running)
            // One rule for BLOCKED, the header's: a job past the threshold, whatever holds it (a long
            // call, or a wait for a blocking lock); a lock wait in a younger job reads as running.
            case .blockedOnLock:
                state =
                    running > thresholds.blocked
                    ? .blockedOnLock(TaskID(task), name: taskName, forNanos: running)
                    : .running(TaskID(task), name: taskName, forNanos: running)
            case .parked: state = .parked
            case .parkedInDriver: state = .parkedInDriver
            case .stopped: state = .stopped
            case .running, .searching: state = .searching
            }
            return WorkerSnapshot(
                index: i, state: state, busyRatio: busy.ratio(of: i, w, now: now),
                busyHistory: sampler.busyHistory(of: i),
                runs: w.runs, runsPerSecond: sampler.runsPerSecond(of: i), steals: w.steals, parks: w.parks,
                localQueueDepth: w.localQueueDepth)
        }
    }

    /// Readiness → reply over the last full second, and what waits for a reply now: cheap (no lists).
    public func replies(now: UInt64) -> ReplyLatency {
        replies.summary(now: now, inFlight: fds.repliesInFlight())
    }

    /// Each reply's parts over the last full second, and the jobs long queue waits queued behind.
    public func latency(now: UInt64, names: [String]) -> LatencyBreakdownSnapshot {
        latency.summary(now: now, threshold: thresholds.blocked) { tasks.knownName(of: $0, names) ?? "" }
    }
}
