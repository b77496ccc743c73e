// The per-task and per-fd lists of a snapshot, built from the models in one pass over the tasks plus
// sorts by id: the task list, the state counts, the longest-waiting queued tasks (≤ 16), the fd list,
// and the first few tasks parked with nothing that could wake them (for the lints). A large model
// keeps one build for a while (see Aggregator.smallModel); `builtAt` says when it was taken.

import RunvizTelemetry

struct ModelLists: Equatable {
    static let queuedShown = 16
    static let lostWakersKept = 4

    var tasks: [TaskSnapshot] = []
    var counts = TaskCounts()
    var queued: [QueuedTask] = []
    var fds: [FDSnapshot] = []
    var lostWakers: [TaskSnapshot] = []
    var builtAt: UInt64

    /// Lists marked built at `now` and left empty: replaced before anything reads them
    /// (`Aggregator.publishState`).
    init(unreadAt now: UInt64) { builtAt = now }

    init(
        tasks model: TaskModel, fds fdModel: FDModel, now: UInt64, names: [String], finished: UInt64,
        lostWakerAfter: UInt64, globalExecutor: Bool = false
    ) {
        builtAt = now
        tasks.reserveCapacity(model.count)
        // Child tasks still alive, by parent (only parents that have any).
        var children: [UInt64: Int] = [:]
        for (_, r) in model.records where r.isChild && !r.isFinished { children[r.parent, default: 0] += 1 }
        for (_, r) in model.records {
            // A global executor's tasks are Swift's, with no JoinHandle of runviz's: a handle is
            // known only once a task is seen awaited (its awaiter parks on it).
            let handle: JoinHandleState = globalExecutor && r.handle == .held ? .noHandle : r.handle
            let s = TaskSnapshot(
                id: TaskID(r.id), name: r.displayName(names), parent: r.parent == 0 ? nil : TaskID(r.parent),
                state: r.state, since: r.since, spawnedAt: r.named || r.isChild ? r.spawnedAt : 0,
                polls: r.polls, wakes: r.wakes, busyNanos: r.busyNanos, longestPollNanos: r.longestPollNanos,
                lastSchedulingLatencyNanos: r.lastLatency,
                lastWorker: r.lastWorker, handle: handle, isChild: r.isChild, liveChildren: children[r.id] ?? 0,
                parkedOn: r.parkReason?.description(names: names))
            tasks.append(s)
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
                if lostWakers.count < Self.lostWakersKept, now > r.since, now - r.since > lostWakerAfter,
                    s.liveChildren == 0, Self.isLost(r, reason, fdModel, globalExecutor: globalExecutor)
                {
                    lostWakers.append(s)
                }
            case .completed, .cancelled: counts.recentlyFinished += 1
            }
        }
        tasks.sort { $0.id < $1.id }
        counts.alive = counts.notYetPolled + counts.queued + counts.running + counts.parkedTotal
        counts.finished = finished
        queued.sort { $0.waitingNanos > $1.waitingNanos }
        queued = Array(queued.prefix(Self.queuedShown))
        fds = fdModel.list { model.displayName(of: $0, names) }
    }

    /// Parked on something nothing can wake: a foreign suspension of a task the runtime spawned (an
    /// unnamed child task's end is simply invisible), or an fd that is not registered with the reactor.
    /// Not on a global executor: there a task waiting on a continuation, an actor or another thread
    /// (parked `other`) is the program's ordinary state, and its waker is outside runviz's view.
    private static func isLost(_ r: TaskRecord, _ reason: ParkReason, _ fds: FDModel, globalExecutor: Bool) -> Bool {
        switch reason {
        case .other: return r.named && !r.sightedChild && !globalExecutor
        case .io(let fd, _): return !fds.contains(fd)
        default: return false
        }
    }

    /// The queued tasks with their waits measured at `now` rather than at `builtAt`.
    func queued(at now: UInt64) -> [QueuedTask] {
        queued.map { q in
            var q = q
            q.waitingNanos += now &- builtAt
            return q
        }
    }
}
