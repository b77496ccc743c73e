// Reading the aggregator's model out as values: the RuntimeSnapshot (live counters for workers and
// queues, the model for tasks, fds and wakeups) and the lints derived from the same facts.
// O(tasks) per call, one pass plus one sort by id; the screen then draws only visible rows.

extension Aggregator {
    public func snapshot(now: UInt64) -> RuntimeSnapshot {
        let names = hub.names.all()
        let counters = hub.readCounters()
        let workers = workerSnapshots(now: now, counters: counters, names: names)

        if tasks.count < Self.smallModel || now &- listsBuiltAt >= listRefresh || cachedLists == nil {
            cachedLists = buildLists(now: now, names: names, finished: counters.tasksFinished)
            listsBuiltAt = now
        }
        let (list, counts, queuedAll, fdList, lost) = cachedLists!
        lostWakers = lost
        // Waiting times of queued tasks stay current even when the lists are reused.
        let queued = queuedAll.map { q in
            var q = q
            q.waitingNanos += now &- listsBuiltAt
            return q
        }

        var wakeups: [WakeupChain] = []
        wakeups.reserveCapacity(chains.count)
        for k in 0..<chains.count {
            let i = (chainStart + k) % chains.count
            var chain = chains[i]
            let (nameID, named) = chainNames[i]
            chain.taskName = named && Int(nameID) < names.count ? names[Int(nameID)] : "task"
            wakeups.append(chain)
        }

        return RuntimeSnapshot(
            configuration: configuration, takenAt: now, uptimeNanos: now &- startedAt, workers: workers,
            injectQueueDepth: counters.injectQueueDepth, readyQueueHistory: readyHistory, queuedTasks: queued,
            blockingPool: counters.blockingPool,
            tasks: list, taskCounts: counts, fds: fdList, wakeups: wakeups, wakeupsPerSecond: wakesPerSecond,
            totals: Totals(
                events: eventsTotal, eventsPerSecond: eventsPerSecond, droppedEvents: counters.droppedEvents,
                spawned: counters.tasksSpawned, finished: counters.tasksFinished,
                polls: counters.workers.reduce(0) { $0 + $1.runs }, wakes: wakesTotal,
                steals: counters.workers.reduce(0) { $0 + $1.steals }, aggregatorLoad: aggregatorLoad))
    }

    /// Models above this many tasks rebuild their task and fd lists every `listRefresh` instead of
    /// every snapshot, so a frame's cost stays flat at 10,000 connections.
    static let smallModel = 2_000

    /// The per-task and per-fd lists of a snapshot: one pass over the model plus sorts by id.
    func buildLists(now: UInt64, names: [String], finished: UInt64) -> Lists {
        var list: [TaskSnapshot] = []
        list.reserveCapacity(tasks.count)
        var counts = TaskCounts()
        var queued: [QueuedTask] = []
        var lost: [TaskSnapshot] = []
        for r in tasks.values {
            let s = TaskSnapshot(
                id: TaskID(r.id), name: nameOf(r, names), parent: r.parent == 0 ? nil : TaskID(r.parent),
                state: r.state,
                since: r.since, spawnedAt: r.spawnedAt, polls: r.polls, wakes: r.wakes, busyNanos: r.busyNanos,
                longestPollNanos: r.longestPollNanos, lastSchedulingLatencyNanos: r.lastLatency,
                lastWorker: r.lastWorker,
                awaited: r.awaited)
            list.append(s)
            switch r.state {
            case .notYetPolled, .queued:
                if case .notYetPolled = r.state { counts.notYetPolled += 1 } else { counts.queued += 1 }
                let queue = r.pendingWake.map { Int($0.queue) }
                queued.append(
                    QueuedTask(
                        id: TaskID(r.id), name: s.name, worker: queue.flatMap { $0 < 254 ? $0 : nil },
                        waitingNanos: now > r.since ? now - r.since : 0))
            case .running: counts.running += 1
            case .parked(let reason):
                counts.parked[reason.kind, default: 0] += 1
                if lost.count < 4, now > r.since, now - r.since > thresholds.lostWaker, isLost(r, reason) {
                    lost.append(s)
                }
            case .completed, .cancelled: break
            }
        }
        list.sort { $0.id < $1.id }
        counts.alive = counts.notYetPolled + counts.queued + counts.running + counts.parkedTotal
        counts.finished = finished
        queued.sort { $0.waitingNanos > $1.waitingNanos }
        queued = Array(queued.prefix(16))

        let fdList = fds.values.sorted { $0.fd < $1.fd }.map { f in
            FDSnapshot(
                fd: f.fd, interest: f.interest, owner: TaskID(f.owner),
                ownerName: tasks[f.owner].map { nameOf($0, names) } ?? (f.owner == 0 ? "" : "t\(f.owner)"),
                timesReady: f.timesReady, lastReady: f.lastReady)
        }
        return (list, counts, queued, fdList, lost)
    }

    /// Parked on something nothing can wake: a foreign suspension of a task the runtime spawned (an
    /// unnamed child task's end is simply invisible), or an fd that is not registered with the reactor.
    private func isLost(_ r: TaskRecord, _ reason: ParkReason) -> Bool {
        switch reason {
        case .other: return r.named
        case .io(let fd, _): return fds[fd] == nil
        default: return false
        }
    }

    /// The workers alone: live counters and states, no per-task work.
    public func workerSnapshots(now: UInt64, counters: CounterReading? = nil, names: [String]? = nil)
        -> [WorkerSnapshot]
    {
        let names = names ?? hub.names.all()
        let counters = counters ?? hub.readCounters()
        var workers: [WorkerSnapshot] = []
        for (i, w) in counters.workers.enumerated() {
            let task = w.currentTask
            let started = w.jobStartedAt
            let running = started != 0 && now > started ? now - started : 0
            let taskName = tasks[task].map { nameOf($0, names) } ?? (task == 0 ? "" : "t\(task)")
            let state: WorkerSnapshot.State
            switch w.activity {
            case .running where started != 0:
                state =
                    running > thresholds.blocked
                    ? .blocked(TaskID(task), name: taskName, forNanos: running)
                    : .running(TaskID(task), name: taskName, forNanos: running)
            case .blockedOnLock:
                state = .blockedOnLock(TaskID(task), name: taskName, forNanos: running)
            case .parked: state = .parked
            case .parkedInDriver: state = .parkedInDriver
            case .stopped: state = .stopped
            case .running, .searching: state = .searching
            }
            workers.append(
                WorkerSnapshot(
                    index: i, state: state, busyRatio: busyRatio[i], busyHistory: busyHistory[i], runs: w.runs,
                    runsPerSecond: runsPerSecond[i], steals: w.steals, parks: w.parks,
                    localQueueDepth: w.localQueueDepth))
        }
        return workers
    }

    /// Warnings from facts: blocked workers, long polls, starving and lost tasks — current ones from the
    /// snapshot, past ones remembered for ten seconds.
    public func lints(for snapshot: RuntimeSnapshot) -> [Lint] {
        let now = snapshot.takenAt
        var out: [Lint] = []
        var seen = Set<String>()
        func add(_ l: Lint) {
            let key = "\(l.kind.rawValue)-\(l.task?.raw ?? 0)-\(l.worker ?? -1)"
            if seen.insert(key).inserted { out.append(l) }
        }
        for w in snapshot.workers {
            switch w.state {
            case .blocked(let t, let name, let ns):
                // Keep the remembered episode current, so after it ends it reports its full length.
                remember(now, Lint(kind: .blockedWorker, task: t, worker: w.index, message: Self.duration(ns)))
                add(
                    Lint(
                        kind: .blockedWorker, task: t, worker: w.index,
                        message: "W\(w.index) blocked \(Self.duration(ns)) by \(t) \(name): a job that does not await "
                            + "holds the thread; move blocking work to spawnBlocking"))
                if ns > thresholds.longPoll {
                    add(
                        Lint(
                            kind: .longPoll, task: t, worker: w.index,
                            message: "\(t) \(name) has run \(Self.duration(ns)) without yielding"))
                }
            case .blockedOnLock(let t, let name, let ns):
                add(
                    Lint(
                        kind: .blockedWorker, task: t, worker: w.index,
                        message: "W\(w.index) blocked \(Self.duration(ns)) on a blocking lock in \(t) \(name): "
                            + "use the async mutex across awaits"))
            default: break
            }
        }
        for q in snapshot.queuedTasks where q.waitingNanos > thresholds.starvation {
            add(
                Lint(
                    kind: .starvation, task: q.id,
                    message: "\(q.id) \(q.name) has waited \(Self.duration(q.waitingNanos)) in the ready queue: "
                        + "the workers are busy or blocked"))
        }
        for t in lostWakers {
            guard case .parked(let reason) = t.state else { continue }
            add(
                Lint(
                    kind: .lostWaker, task: t.id,
                    message: "\(t.id) \(t.name) parked \(Self.duration(now &- t.since)) on \(reason) with nothing "
                        + "registered that could wake it"))
        }
        recentLints.removeAll { now > $0.at && now - $0.at > lintMemory }
        for (at, l) in recentLints.reversed() {
            let ago = Self.duration(now > at ? now - at : 0)
            let task = l.task.map { snapshotName($0, snapshot) } ?? ""
            let text: String
            switch l.kind {
            case .blockedWorker:
                text = "W\(l.worker ?? 0) was blocked \(l.message) by \(task) (ended \(ago) ago): use spawnBlocking"
            case .longPoll: text = "\(task) ran \(l.message) without yielding (\(ago) ago)"
            case .starvation: text = "\(task) waited \(l.message) in the ready queue (\(ago) ago)"
            case .lostWaker: text = l.message
            }
            add(Lint(kind: l.kind, task: l.task, worker: l.worker, message: text))
        }
        return out
    }

    private func snapshotName(_ id: TaskID, _ s: RuntimeSnapshot) -> String {
        if let t = s.task(id) { return "\(id) \(t.name)" }
        return "\(id)"
    }

    /// "850 µs", "12.3 ms", "2.0 s".
    public static func duration(_ ns: UInt64) -> String {
        if ns < 1_000 { return "\(ns) ns" }
        if ns < 1_000_000 { return "\(ns / 1_000) µs" }
        if ns < 1_000_000_000 {
            let ms = Double(ns) / 1e6
            return ms < 10 ? "\((ms * 10).rounded() / 10) ms" : "\(Int(ms)) ms"
        }
        return "\((Double(ns) / 1e8).rounded() / 10) s"
    }
}
