// Builds a WorkerTimeline from events in time order, streaming: each thread's spells are cut as
// events close them and rasterised into that thread's columns at once, so the cost follows the
// events read plus the cells, and no job list of the window is kept. Events before `from` are read
// only for what they tell about the window (a thread's state at `from`, the wakeup and the name of
// a job that runs in it); events at or after `to` are ignored.
//
// A thread's state is unknown until an event or a counter reading (`seed`) says what it is. A job
// whose start was not read (its `.runFinished` is the thread's first event) is taken to have run
// from the start of what was read; it is BLOCKED when the watchdog said so or when what was seen of
// it is longer than the threshold.

import RunvizTelemetry

public struct WorkerTimelineBuilder: Sendable {
    public let from: UInt64
    public let to: UInt64
    public let nanosPerColumn: UInt64
    public let columns: Int
    public let blockedThresholdNanos: UInt64

    /// A blocking-pool thread's open stretch.
    private struct Current: Sendable {
        var stretch: WorkerTimeline.Stretch
        /// When the stretch began, as far as the events read show (its `start`, or the first instant read).
        var since: UInt64
    }

    /// What the timeline adds to a worker's open spell.
    private struct SpellNotes: Sendable {
        /// When the spell began, as far as the events read show (its start, or the first instant read).
        var since: UInt64
        /// What scheduled the job.
        var cause: WorkerTimeline.Cause?
        /// The watchdog reported this job.
        var flagged = false
    }

    private var spells: WorkerSpells
    private var notes: [SpellNotes]
    private var pool: [Int: Current] = [:]
    private var workerRows: [RowRaster]
    private var poolRows: [Int: RowRaster] = [:]
    /// The wake of each task scheduled and not yet run.
    private var pendingWake: [UInt64: WorkerTimeline.Cause] = [:]
    /// The last readiness the kernel reported per fd (names an I/O wakeup).
    private var readiness: [UInt64: Interest] = [:]
    /// Spawn names read in the events (task → name id).
    public private(set) var spawnNames: [UInt64: UInt32] = [:]
    /// The first instant read.
    private var firstSeen: UInt64?

    public init(from: UInt64, to: UInt64, columns: Int, workers: Int, blockedThresholdNanos: UInt64) {
        let columns = max(1, columns)
        self.from = from
        self.to = max(to, from + UInt64(columns))
        self.columns = columns
        nanosPerColumn = max(1, (self.to - from) / UInt64(columns))
        self.blockedThresholdNanos = blockedThresholdNanos
        spells = WorkerSpells(workers: workers)
        notes = Array(repeating: SpellNotes(since: from), count: max(0, workers))
        let raster = RowRaster(from: from, nanosPerColumn: nanosPerColumn, columns: columns)
        workerRows = Array(repeating: raster, count: max(0, workers))
    }

    /// Fills in, from one counter reading taken at `now`, the state of the workers no event has
    /// described yet.
    public mutating func seed(_ counters: CounterReading, at now: UInt64) {
        firstSeen = firstSeen ?? now
        for w in counters.workers where (0..<spells.workers).contains(w.index) && spells.spell(of: w.index) == nil {
            let activity: WorkerSpells.Activity
            switch w.activity {
            case .running, .blockedOnLock:
                // A default actor's job (ActorJob) is no task's.
                activity = .job(TaskID(ActorJob.nameID(in: w.currentTask) == nil ? w.currentTask : 0))
            case .parked: activity = .sleep(inDriver: false)
            case .parkedInDriver: activity = .sleep(inDriver: true)
            case .searching: activity = .searching
            case .stopped: continue
            }
            if case .job = activity, w.currentTask != 0 || w.jobStartedAt != 0 {
                let start = w.jobStartedAt == 0 ? nil : w.jobStartedAt
                spells.seed(w.index, .init(activity, start: start))
                notes[w.index] = SpellNotes(since: start ?? now)
            } else {
                // In that state since some time before the reading: its start is unknown.
                spells.seed(w.index, .init(activity, start: nil))
                notes[w.index] = SpellNotes(since: now)
            }
        }
    }

    /// Reads a blocking-pool event from before the events `take` reads, for the pool threads
    /// busy when they start (no counter says which pool thread runs what); ignores anything else.
    public mutating func takeEarlier(_ e: RuntimeEvent) {
        switch e.fact {
        case .blockingStarted, .blockingFinished:
            let first = firstSeen
            take(e)
            firstSeen = first
        case .spawned, .scheduled, .runStarted, .runFinished, .parked, .completed, .cancelled, .fdRegistered,
            .fdReady, .fdDeregistered, .workerParked, .workerUnparked, .workerBlocked, .stole, .timerFired, .wrote,
            .handleAwaited, .handleDropped:
            break
        }
    }

    public mutating func take(_ e: RuntimeEvent) {
        guard e.time < to else { return }
        firstSeen = firstSeen ?? e.time
        let fact = e.fact
        switch fact {
        case .spawned(let task, _, let name, _):
            spawnNames[task.raw] = name
            // Sighted at its first run (recorded just before the run's start): the enqueue of no
            // named cause that run resolves was its creation.
            if e.detail == RuntimeEvent.sightedAtRun {
                if case .woken(.other, let arg, _) = pendingWake[task.raw] {
                    pendingWake[task.raw] = .woken(.spawn, arg: arg, readiness: nil)
                }
                for w in 0..<spells.workers where spells.spell(of: w)?.activity == .job(task) {
                    if case .woken(.other, let arg, _) = notes[w].cause {
                        notes[w].cause = .woken(.spawn, arg: arg, readiness: nil)
                    }
                }
            }
        case .fdReady(let fd, let ready, _, _): readiness[UInt64(UInt32(bitPattern: fd))] = ready
        case .scheduled(let task, let source, let argument, let queue, _):
            pendingWake[task.raw] = .woken(
                source, arg: argument, readiness: source == .io ? readiness[argument] : nil)
            if case .local(let w) = queue, w < workerRows.count { workerRows[w].wakeup(at: e.time) }
        case .runStarted(let task, _):
            guard let change = spells.take(fact, at: e.time) else { return }
            move(change, at: e.time, cause: pendingWake.removeValue(forKey: task.raw))
        case .runFinished, .workerParked, .workerUnparked:
            guard let change = spells.take(fact, at: e.time) else { return }
            move(change, at: e.time, cause: nil)
        case .workerBlocked(let w, _, let jobStart):
            guard let open = spells.spell(of: w), case .job = open.activity else { return }
            notes[w].flagged = true
            if open.start == nil, jobStart != 0 { notes[w].since = jobStart }
            _ = spells.take(fact, at: e.time)
        case .blockingStarted(let task, _, let thread):
            let slot = Int(thread)
            let stretch = WorkerTimeline.Stretch(
                state: .running, task: task.raw, start: e.time, end: nil, cause: .submitted(by: task))
            beginPool(slot, Current(stretch: stretch, since: e.time), at: e.time)
        case .blockingFinished(let task, _, let thread):
            let slot = Int(thread)
            if pool[slot]?.stretch.state != .running {
                pool[slot] = Current(
                    stretch: .init(state: .running, task: task.raw, start: nil, end: nil, cause: .submitted(by: task)),
                    since: firstSeen ?? e.time)
            }
            beginPool(
                slot, Current(stretch: .init(state: .idle, start: e.time, end: nil), since: e.time), at: e.time)
        case .parked, .completed, .cancelled, .fdRegistered, .fdDeregistered, .stole, .timerFired, .wrote,
            .handleAwaited, .handleDropped:
            break
        }
    }

    /// The timeline: open stretches end at `to`. `name` gives a task's name for the legend ("" when
    /// none is known); the spawn names read are in `spawnNames`.
    public func finish(name: (UInt64) -> String) -> WorkerTimeline {
        var builder = self
        for w in 0..<builder.spells.workers {
            if let open = builder.spells.close(w) { builder.closeWorker(w, open, builder.notes[w], at: to) }
        }
        for slot in builder.pool.keys { builder.closePool(slot, at: to) }
        var rows = builder.workerRows.enumerated().map {
            WorkerTimeline.Row(thread: .worker($0.offset), cells: $0.element.finish())
        }
        // A pool thread has a row when it ran a job in the window.
        for slot in builder.poolRows.keys.sorted() {
            let cells = builder.poolRows[slot]!.finish()
            if cells.contains(where: { $0.state == .running }) {
                rows.append(WorkerTimeline.Row(thread: .blocking(slot), cells: cells))
            }
        }
        var counts: [UInt64: (cells: Int, blocked: Int)] = [:]
        for row in rows {
            for cell in row.cells where cell.state == .running || cell.state == .blocked {
                counts[cell.task, default: (0, 0)].cells += 1
                if cell.state == .blocked { counts[cell.task, default: (0, 0)].blocked += 1 }
            }
        }
        let tasks = counts.map {
            WorkerTimeline.TaskLabel(
                task: TaskID($0.key), name: $0.key == 0 ? "" : name($0.key), cells: $0.value.cells,
                blockedCells: $0.value.blocked)
        }
        .sorted { ($0.cells, $1.task) > ($1.cells, $0.task) }
        return WorkerTimeline(
            from: from, to: to, nanosPerColumn: nanosPerColumn, blockedThresholdNanos: blockedThresholdNanos,
            rows: rows, tasks: tasks)
    }

    /// Rasterises the spells `change` ends on its worker and notes the one it begins.
    private mutating func move(_ change: WorkerSpells.Change, at t: UInt64, cause: WorkerTimeline.Cause?) {
        let w = change.worker
        if let cut = change.cut { closeWorker(w, cut, notes[w], at: t) }
        if let ended = change.ended {
            // A spell whose start was not read is taken to have lasted since the first instant read.
            closeWorker(w, ended, ended.start == nil ? SpellNotes(since: firstSeen ?? t) : notes[w], at: t)
        }
        notes[w] = SpellNotes(since: t, cause: cause)
    }

    private mutating func closeWorker(_ w: Int, _ spell: WorkerSpells.Spell, _ notes: SpellNotes, at t: UInt64) {
        var stretch: WorkerTimeline.Stretch
        switch spell.activity {
        case .job(let task):
            let blocked = notes.flagged || t &- notes.since > blockedThresholdNanos
            stretch = .init(state: blocked ? .blocked : .running, task: task.raw, start: spell.start, end: nil)
            stretch.cause = notes.cause
        case .sleep(let inDriver): stretch = .init(state: inDriver ? .epoll : .idle, start: spell.start, end: nil)
        case .searching: stretch = .init(state: .searching, start: spell.start, end: nil)
        }
        if t < to { stretch.end = t }
        workerRows[w].add(stretch, from: notes.since, to: t)
    }

    /// Ends pool thread `slot`'s current stretch at `t` and starts `next`.
    private mutating func beginPool(_ slot: Int, _ next: Current, at t: UInt64) {
        closePool(slot, at: t)
        pool[slot] = next
    }

    private mutating func closePool(_ slot: Int, at t: UInt64) {
        guard var current = pool[slot] else { return }
        if t < to { current.stretch.end = t }
        if poolRows[slot] == nil {
            poolRows[slot] = RowRaster(from: from, nanosPerColumn: nanosPerColumn, columns: columns)
        }
        poolRows[slot]!.add(current.stretch, from: current.since, to: t)
    }
}
