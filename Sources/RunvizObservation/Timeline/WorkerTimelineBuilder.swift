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

    private struct Current: Sendable {
        var stretch: WorkerTimeline.Stretch
        /// When the stretch began, as far as the events read show (its `start`, or the first instant read).
        var since: UInt64
        /// The watchdog reported this job.
        var flagged = false
    }

    private var workers: [Current?]
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
        self.workers = Array(repeating: nil, count: max(0, workers))
        let raster = RowRaster(from: from, nanosPerColumn: nanosPerColumn, columns: columns)
        workerRows = Array(repeating: raster, count: max(0, workers))
    }

    /// Fills in, from one counter reading taken at `now`, the state of the workers no event has
    /// described yet.
    public mutating func seed(_ counters: CounterReading, at now: UInt64) {
        firstSeen = firstSeen ?? now
        for w in counters.workers where workers.indices.contains(w.index) && workers[w.index] == nil {
            let state: WorkerTimeline.State
            switch w.activity {
            case .running, .blockedOnLock: state = .running
            case .parked: state = .idle
            case .parkedInDriver: state = .epoll
            case .searching: state = .searching
            case .stopped: continue
            }
            if state == .running, w.currentTask != 0 || w.jobStartedAt != 0 {
                let start = w.jobStartedAt == 0 ? nil : w.jobStartedAt
                workers[w.index] = Current(
                    stretch: .init(state: .running, task: w.currentTask, start: start, end: nil),
                    since: start ?? now)
            } else {
                // In that state since some time before the reading: its start is unknown.
                workers[w.index] = Current(stretch: .init(state: state, start: nil, end: nil), since: now)
            }
        }
    }

    /// Reads a blocking-pool event from before the events `take` reads, for the pool threads
    /// busy when they start (no counter says which pool thread runs what); ignores anything else.
    public mutating func takeEarlier(_ e: RuntimeEvent) {
        guard e.kind == .blockingStarted || e.kind == .blockingFinished else { return }
        let first = firstSeen
        take(e)
        firstSeen = first
    }

    public mutating func take(_ e: RuntimeEvent) {
        guard e.time < to else { return }
        firstSeen = firstSeen ?? e.time
        switch e.kind {
        case .spawned: spawnNames[e.task] = e.extra
        case .fdReady: readiness[e.arg] = Interest(rawValue: UInt8(truncatingIfNeeded: e.detail))
        case .scheduled:
            let source = WakeSource(rawValue: UInt8(truncatingIfNeeded: e.detail)) ?? .other
            pendingWake[e.task] = .woken(source, arg: e.arg, readiness: source == .io ? readiness[e.arg] : nil)
            if Int(e.worker) < workerRows.count { workerRows[Int(e.worker)].wakeup(at: e.time) }
        case .runStarted:
            guard let w = workerIndex(e) else { return }
            let cause = pendingWake.removeValue(forKey: e.task)
            begin(
                .worker(w),
                Current(
                    stretch: .init(state: .running, task: e.task, start: e.time, end: nil, cause: cause), since: e.time),
                at: e.time)
        case .runFinished:
            guard let w = workerIndex(e) else { return }
            if workers[w]?.stretch.state != .running {
                // The job began before what was read.
                workers[w] = Current(
                    stretch: .init(state: .running, task: e.task, start: nil, end: nil), since: firstSeen ?? e.time)
            }
            begin(
                .worker(w), Current(stretch: .init(state: .searching, start: e.time, end: nil), since: e.time),
                at: e.time)
        case .workerParked:
            guard let w = workerIndex(e) else { return }
            let state: WorkerTimeline.State = e.detail == 1 ? .epoll : .idle
            begin(.worker(w), Current(stretch: .init(state: state, start: e.time, end: nil), since: e.time), at: e.time)
        case .workerUnparked:
            guard let w = workerIndex(e) else { return }
            if workers[w] == nil {
                workers[w] = Current(stretch: .init(state: .idle, start: nil, end: nil), since: firstSeen ?? e.time)
            }
            begin(
                .worker(w), Current(stretch: .init(state: .searching, start: e.time, end: nil), since: e.time),
                at: e.time)
        case .workerBlocked:
            guard let w = workerIndex(e), var current = workers[w], current.stretch.state == .running else { return }
            current.flagged = true
            if current.stretch.start == nil, e.arg != 0 {
                current.stretch.start = e.arg
                current.since = e.arg
            }
            workers[w] = current
        case .blockingStarted:
            let slot = Int(e.extra)
            let stretch = WorkerTimeline.Stretch(
                state: .running, task: e.task, start: e.time, end: nil, cause: .submitted(by: TaskID(e.task)))
            begin(.blocking(slot), Current(stretch: stretch, since: e.time), at: e.time)
        case .blockingFinished:
            let slot = Int(e.extra)
            if pool[slot]?.stretch.state != .running {
                pool[slot] = Current(
                    stretch: .init(
                        state: .running, task: e.task, start: nil, end: nil, cause: .submitted(by: TaskID(e.task))),
                    since: firstSeen ?? e.time)
            }
            begin(
                .blocking(slot), Current(stretch: .init(state: .idle, start: e.time, end: nil), since: e.time),
                at: e.time)
        default: break
        }
    }

    /// The timeline: open stretches end at `to`. `name` gives a task's name for the legend ("" when
    /// none is known); the spawn names read are in `spawnNames`.
    public func finish(name: (UInt64) -> String) -> WorkerTimeline {
        var builder = self
        for w in builder.workers.indices { builder.close(.worker(w), at: to) }
        for slot in builder.pool.keys { builder.close(.blocking(slot), at: to) }
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

    private func workerIndex(_ e: RuntimeEvent) -> Int? {
        Int(e.worker) < workers.count ? Int(e.worker) : nil
    }

    /// Ends `thread`'s current stretch at `t` and starts `next`.
    private mutating func begin(_ thread: WorkerTimeline.Thread, _ next: Current, at t: UInt64) {
        close(thread, at: t)
        switch thread {
        case .worker(let w): workers[w] = next
        case .blocking(let slot): pool[slot] = next
        }
    }

    private mutating func close(_ thread: WorkerTimeline.Thread, at t: UInt64) {
        let open: Current?
        switch thread {
        case .worker(let w): open = workers[w]
        case .blocking(let slot): open = pool[slot]
        }
        guard var current = open else { return }
        if t < to { current.stretch.end = t }
        if case .worker = thread, current.stretch.state == .running,
            current.flagged || t &- current.since > blockedThresholdNanos
        {
            current.stretch.state = .blocked
        }
        switch thread {
        case .worker(let w):
            workerRows[w].add(current.stretch, from: current.since, to: t)
        case .blocking(let slot):
            if poolRows[slot] == nil {
                poolRows[slot] = RowRaster(from: from, nanosPerColumn: nanosPerColumn, columns: columns)
            }
            poolRows[slot]!.add(current.stretch, from: current.since, to: t)
        }
    }
}
