// Every task the events have shown, one TaskRecord per id, each mutated in place (one hash lookup
// per event). Event → state rules: `scheduled` queues a task and remembers why; `runStarted`
// resolves that wake into a latency (and, for the aggregator, a wakeup chain); a `parked` event
// inside a run says what the task will wait on when the run ends; a run that ends with no such
// event means the task suspended on something the runtime does not own ("other"), unless it was
// queued again meanwhile (a yield, or a wake that raced the end of the run). A wake for a finished
// task changes nothing. Finished tasks stay for a retention time, at most a bounded number of them,
// with what became of their JoinHandle: awaited by whom, or dropped unawaited.
//
// Child tasks (`async let`, task groups) are never spawned through the runtime. On a runtime used as
// an executor preference Swift tells it neither their parent nor their end, and the events still
// show both: a task first seen being queued with no named cause is being created (that enqueue is
// its spawn, not a wake) by the task whose job was running, its parent; and a child whose job
// schedules its parent with no other cause has ended (a child resumes the parent waiting for it by
// returning), so it is marked completed then. Installed as the global executor, the runtime reads
// both from the task itself: a task sighted at its first run with a parent is a child
// (`sightedChild`, named by its code or kind), and its end is recorded.

import RunvizTelemetry

struct TaskModel: Equatable {
    /// A run's start, with the wake it resolved.
    struct RunStart: Equatable {
        var wake: PendingWake
        /// Enqueue → run.
        var latency: UInt64
        /// The task's interned name (nil: unnamed).
        var name: UInt32?
    }

    private(set) var records = IDTable<TaskRecord>()
    /// Wakes that queued a live task, in all and by source (indexed by `WakeSource.rawValue`).
    private(set) var wakes: UInt64 = 0
    private(set) var wakesBySource = [UInt64](repeating: 0, count: WakeSource.allCases.count)
    /// Tasks in a run queue now (scheduled, not started), as the events tell it.
    private(set) var queued = 0

    var count: Int { records.count }

    subscript(id: UInt64) -> TaskRecord? { records[id] }

    /// Mutates `id`'s record in place, creating it on first sight.
    @inline(__always)
    private mutating func update<R>(_ id: UInt64, at time: UInt64, _ body: (inout TaskRecord) -> R) -> R {
        records.modify(id, orInsert: { TaskRecord(id: id, at: time) }, body)
    }

    /// `sighted`: seen at its first run (RuntimeEvent.sightedAtRun). With no wake of it known (a late
    /// viewer's catch-up, which sends a live task's spawn without its runs), it is suspended on
    /// something (`other`) until its next event says more, not waiting to start since its spawn.
    /// Sighted with a parent, it is a child task, which its parent awaits. `late`: a task spawned
    /// while events were off (RuntimeEvent.announcedLate), named now: as old as the first of its
    /// events, and, as every task `Runtime.spawn` starts, no child (a first wake of no named cause
    /// took the task that ran for its parent).
    mutating func spawned(
        _ id: UInt64, name: UInt32, parent: UInt64, at t: UInt64, sighted: Bool = false, late: Bool = false
    ) {
        update(id, at: t) { r in
            r.nameID = name
            r.named = true
            r.lastEvent = t
            if sighted, r.pendingWake == nil, case .notYetPolled = r.state { r.state = .parked(.other) }
            guard !late else {
                r.parent = 0
                r.sightedChild = false
                return
            }
            r.sightedChild = sighted && parent != 0
            r.parent = parent
            r.spawnedAt = t
        }
    }

    /// Queues `id` for `wake`; false when the task has already finished. For a wake with no known
    /// cause, `wake.argument` is the task that was running: a new task's parent, or a child ending.
    /// A task first seen by such a wake is being created: that enqueue is no wake, and `wake`
    /// becomes a spawn's.
    @inline(__always)
    mutating func scheduled(_ id: UInt64, by wake: inout PendingWake) -> Bool {
        let runner = wake.wakingTask(of: TaskID(id))?.raw
        if wake.source == .other, !records.contains(id) {
            var r = TaskRecord(id: id, at: wake.at)
            r.parent = runner ?? 0
            records.insert(id, r)
            wake.source = .spawn
        } else if wake.source == .other, let runner {
            records.modify(runner) { child in
                guard !child.named, child.parent == id, !child.isFinished else { return }
                child.state = .completed
                child.since = wake.at
                child.lastEvent = wake.at
            }
        }
        let wake = wake
        let (live, entered) = update(id, at: wake.at) { r -> (Bool, Bool) in
            guard !r.isFinished else { return (false, false) }
            var wake = wake
            wake.parkedOn = r.parkReason?.kind
            r.state = r.polls == 0 ? .notYetPolled : .queued
            r.since = wake.at
            r.lastEvent = wake.at
            r.pendingWake = wake
            if wake.source != .spawn && wake.source != .yield { r.wakes += 1 }
            defer { r.inReadyQueue = true }
            return (true, !r.inReadyQueue)
        }
        if entered { queued += 1 }
        if live {
            wakes &+= 1
            wakesBySource[Int(wake.source.rawValue)] &+= 1
        }
        return live
    }

    /// A job of `id` starts on `worker`: resolves the wake that queued it, if any.
    @inline(__always)
    mutating func runStarted(_ id: UInt64, worker: Int, at t: UInt64) -> RunStart? {
        let (start, left) = update(id, at: t) { r -> (RunStart?, Bool) in
            r.state = .running(worker: worker)
            r.since = t
            r.runStarted = t
            r.lastEvent = t
            r.polls += 1
            r.lastWorker = worker
            r.pendingPark = nil
            defer { r.inReadyQueue = false }
            guard let wake = r.pendingWake else { return (nil, r.inReadyQueue) }
            r.pendingWake = nil
            r.lastLatency = t &- wake.at
            return (RunStart(wake: wake, latency: t &- wake.at, name: r.name), r.inReadyQueue)
        }
        if left { queued -= 1 }
        return start
    }

    /// The job of `id` returned: how long it ran and the task's name, nil for a task never seen.
    @inline(__always)
    mutating func runFinished(_ id: UInt64, at t: UInt64) -> (ran: UInt64, name: UInt32?)? {
        records.modify(id) { r in
            let ran = t &- r.runStarted
            r.busyNanos &+= ran
            r.longestPollNanos = max(r.longestPollNanos, ran)
            r.lastEvent = t
            if case .running = r.state {
                r.state = .parked(r.pendingPark ?? .other)
                r.since = t
            }
            return (ran, r.name)
        }
    }

    @inline(__always)
    mutating func parked(_ id: UInt64, on reason: ParkReason, at t: UInt64) {
        update(id, at: t) { r in
            switch r.state {
            case .running: r.pendingPark = reason
            // A wake raced ahead of the park record: the task is already queued again.
            case .queued: break
            default:
                r.state = .parked(reason)
                r.since = t
            }
            r.lastEvent = t
        }
    }

    /// `awaiter` awaits `id`'s JoinHandle (0: a thread blocked in `blockOn`).
    mutating func handleAwaited(_ id: UInt64, by awaiter: UInt64) {
        records.modify(id) { r in
            r.handleFate = .awaited
            r.awaiter = awaiter
        }
    }

    /// `id`'s JoinHandle was dropped unawaited (a handle awaited before stays awaited).
    mutating func handleDropped(_ id: UInt64) {
        records.modify(id) { r in
            if r.handleFate == .unknown { r.handleFate = .dropped }
        }
    }

    /// A task ends once: a second end (a task runviz did not start, whose end both a worker and
    /// the runtime's actor watch saw) changes nothing.
    mutating func finished(_ id: UInt64, completed: Bool, at t: UInt64) {
        let wasQueued = update(id, at: t) { r -> Bool in
            guard !r.isFinished else { return false }
            r.state = completed ? .completed : .cancelled
            r.since = t
            r.lastEvent = t
            defer { r.inReadyQueue = false }
            return r.inReadyQueue
        }
        if wasQueued { queued -= 1 }
    }

    /// Each task in a run queue now with the wake that queued it, read in place (no task's record
    /// is copied), in no particular order.
    func forEachQueued(_ body: (UInt64, PendingWake) -> Void) {
        records.forEachEntry { id, r in
            if r.inReadyQueue, let wake = r.pendingWake { body(id, wake) }
        }
    }

    /// Unnamed children silent this long are taken for ended (their end is invisible, see above).
    static let childSilence: UInt64 = 10_000_000_000

    /// Drops tasks finished more than `retention` ago, and the oldest finished beyond the newest
    /// `kept`, so a burst of short tasks cannot grow the model; and unnamed children silent for
    /// `childSilence`.
    mutating func evictFinished(now: UInt64, retention: UInt64, kept: Int) {
        var gone: [UInt64] = []
        var finished: [(id: UInt64, at: UInt64)] = []
        for (id, r) in records {
            switch r.state {
            case .completed, .cancelled:
                if now &- r.since > retention { gone.append(id) } else { finished.append((id, r.since)) }
            case .parked(.other) where !r.named || r.sightedChild:
                // A child task (async let, task group) whose end the runtime cannot see, or whose
                // end was missed (an `async let`'s last job inside an actor's job).
                if now &- r.lastEvent > Self.childSilence { gone.append(id) }
            default: break
            }
        }
        if finished.count > kept {
            finished.sort { ($0.at, $0.id) > ($1.at, $1.id) }
            gone += finished[kept...].map(\.id)
        }
        for id in gone {
            if records.removeValue(forKey: id)?.inReadyQueue == true { queued -= 1 }
        }
    }

    /// Gives back the table slots a burst of tasks left behind.
    mutating func shrinkIfSparse() { records.shrinkIfSparse() }

    /// `id`'s name for the screen: its record's, else "t<id>" ("" for no task).
    func displayName(of id: UInt64, _ names: [String]) -> String {
        knownName(of: id, names) ?? (id == 0 ? "" : "t\(id)")
    }

    /// `id`'s name for the screen while it has a record (nil once it is evicted, or before it is seen).
    func knownName(of id: UInt64, _ names: [String]) -> String? {
        records[id].map { $0.displayName(names) }
    }
}
