// Turns a recording (its setup, then its items in order) into Chrome Trace Event JSON, the format
// ui.perfetto.dev and chrome://tracing open, as a stream: each item is converted as it comes and
// the text leaves in chunks (TraceEventWriter), so memory does not grow with the recording.
//
// What it draws, all in process 1 (the runtime):
//   - a track per worker (W0…), per blocking-pool thread (blk1…, numbered like the pool's slots
//     + 1) and one for the other threads (the main thread, the watchdog, whoever fills the inject
//     queue);
//   - each job run as a complete slice named after its task ("t42 echo-conn"), with what scheduled
//     it; a job longer than the blocked threshold holds a nested "BLOCKED" slice over the part past
//     the threshold; a worker's sleeps as "idle" (parker) or "epoll_wait" (in the I/O driver);
//     blocking-pool jobs on their thread's track;
//   - each wake as a flow arrow from where it happened (the job, sleep or blocking job running on
//     the scheduling thread, else a zero-length marker slice: "fd 7 ready R", "timer fired",
//     "wake") to the job it scheduled; a task sighted at its first run (one runviz did not start:
//     a child, a plain `Task {}`) was created by the enqueue that job resolved, so that flow is a
//     spawn, as the dashboard reads it;
//   - a gap (observations dropped by the writer) as an instant "events dropped: N", and events the
//     runtime's rings dropped while full (the counters' `droppedEvents` rising) as an instant
//     "events lost in full rings: N" at the observation that counted them.
//
// Invariants. Slices on one track never overlap unless nested: a job or a sleep opens only after
// the previous one on its track closed, and a marker is drawn only where nothing is open. Each
// track's slices are written in time order: a slice is written when it closes, and nothing else on
// its track is written while it is open. A flow's start and finish are written together, once its
// job has run, so every start has its finish; wakes still waiting when a gap or the end comes are
// dropped. What is held: per worker its open job and sleep, per blocking thread its open job, the
// wakes whose job has not started, and each live task's name id (from its spawn to its end) — so
// O(workers + live tasks + pending wakes) plus the interned name table, never O(recording) (a task
// whose end fell in a gap stays held).

import RunvizTelemetry

public struct PerfettoExporter {
    public let setup: ObservedSetup
    private var out: TraceEventWriter
    private var started = false
    private var finished = false
    /// The interned names so far (observations' `newNames`, in id order).
    private var names: [String] = []
    /// Name id of each live, named task.
    private var taskNames: [UInt64: UInt32] = [:]
    /// Each worker's open job or sleep.
    private var spells: WorkerSpells
    /// What the exporter adds to each worker's track.
    private var workers: [WorkerTrack]
    /// Open blocking-pool jobs by thread number (slot + 1).
    private var blocking: [UInt32: BlockingRun] = [:]
    /// Blocking threads whose track is named already.
    private var namedBlockingThreads: Set<UInt32> = []
    /// Wakes waiting for their task's next run.
    private var pending: [UInt64: Wake] = [:]
    /// The marker last drawn on the other threads' track, while it can still explain a wake.
    private var otherMarker: Marker?
    private var nextFlow: UInt64 = 1
    /// The latest time seen: where open slices end at a gap or at the end.
    private var lastTime: UInt64
    /// The rings' dropped-event count at the last observation (nil: none since the start or a gap).
    private var lastDropped: UInt64?

    /// `chunkBytes`: how much text collects before `sink` is called with it.
    public init(setup: ObservedSetup, chunkBytes: Int = 64 << 10, sink: @escaping ([UInt8]) throws -> Void) {
        self.setup = setup
        self.out = TraceEventWriter(origin: setup.startedAt, chunkBytes: chunkBytes, sink: sink)
        let workers = max(0, min(setup.configuration.workers, 250))
        self.spells = WorkerSpells(workers: workers)
        self.workers = Array(repeating: WorkerTrack(), count: workers)
        self.lastTime = setup.startedAt
    }

    /// Entries held besides the name table: open slices, pending wakes, live tasks' names. Bounded
    /// by what the runtime holds at one instant, however long the recording.
    public var heldEntries: Int {
        taskNames.count + pending.count + blocking.count + namedBlockingThreads.count
            + workers.indices.reduce(0) { $0 + (isOpen($1) ? 1 : 0) }
    }

    /// Names in the interned table (the program's distinct task names).
    public var namesHeld: Int { names.count }

    /// Text not yet handed to the sink (under one chunk plus one event).
    public var pendingBytes: Int { out.pendingBytes }

    /// Bytes handed to the sink so far.
    public var bytesWritten: Int { out.written }

    /// Converts one item; the sink's errors come out here. Nothing after `finish`.
    public mutating func feed(_ item: RecordingItem) throws {
        guard !finished else { return }
        try start()
        switch item {
        case .observation(let o):
            names.append(contentsOf: o.newNames)
            for e in o.events { try apply(e) }
            lastTime = max(lastTime, o.now)
            try ringLosses(o.counters.droppedEvents, at: o.now)
        case .gap(let observations, let events):
            try closeAll(at: lastTime, why: "cut by a gap in the recording")
            pending.removeAll()
            otherMarker = nil
            lastDropped = nil
            let at = lastTime
            try out.event("i") { w in
                w.field("name", string: "events dropped: \(events)")
                w.field("cat", string: "gap")
                w.field("s", string: "g")
                w.field("ts", at: at)
                w.field("pid", Self.pid)
                w.field("tid", Self.otherTid)
                w.field("args") { a in
                    a.field("events", events)
                    a.field("observations", observations)
                }
            }
        }
    }

    /// Closes what is still open at the last time seen and ends the JSON text (once).
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        try start()
        try closeAll(at: lastTime, why: "still running when the recording ends")
        pending.removeAll()
        try out.finish()
    }

    /// An instant for events the rings dropped since the last observation. The count is the
    /// runtime's total, so the first observation (and the first after a gap) only sets the base.
    private mutating func ringLosses(_ dropped: UInt64, at time: UInt64) throws {
        defer { lastDropped = dropped }
        guard let last = lastDropped, dropped > last else { return }
        try out.event("i") { w in
            w.field("name", string: "events lost in full rings: \(dropped - last)")
            w.field("cat", string: "gap")
            w.field("s", string: "g")
            w.field("ts", at: time)
            w.field("pid", Self.pid)
            w.field("tid", Self.otherTid)
        }
    }

    // MARK: events

    private mutating func apply(_ e: RuntimeEvent) throws {
        lastTime = max(lastTime, e.time)
        let fact = e.fact
        switch fact {
        case .spawned(let task, _, let name, _):
            if task != .none { taskNames[task.raw] = name }
            // Sighted at its first run (recorded just before the run's start): the enqueue of no
            // named cause that run resolves was its creation.
            if e.detail == RuntimeEvent.sightedAtRun {
                if let wake = pending[task.raw], wake.source == .other { pending[task.raw] = wake.creation }
                for w in workers.indices where spells.spell(of: w)?.activity == .job(task) {
                    if let wake = workers[w].wake, wake.source == .other { workers[w].wake = wake.creation }
                }
            }
        case .scheduled(let task, let source, let argument, let queue, let ahead):
            try scheduled(task, source: source, argument: argument, queue: queue, ahead: ahead, at: e.time)
        case .runStarted(let task, _):
            guard let change = spells.take(fact, at: e.time) else { return }
            try close(change, at: e.time)
            workers[change.worker].wake = pending.removeValue(forKey: task.raw)
            workers[change.worker].then = nil
        case .runFinished, .workerParked, .workerUnparked:
            guard let change = spells.take(fact, at: e.time) else { return }
            try close(change, at: e.time)
        case .parked(let task, let reason, _, _): noteOnJob(of: task, "parked on \(reason.description(names: names))")
        case .completed(let task, _):
            noteOnJob(of: task, "completed")
            taskNames.removeValue(forKey: task.raw)
        case .cancelled(let task, _):
            noteOnJob(of: task, "cancelled")
            taskNames.removeValue(forKey: task.raw)
        case .fdReady(let fd, let readiness, _, let thread):
            try mark(Marker(time: e.time, cause: .fd(fd)), "fd \(fd) ready \(readiness)", thread)
        case .timerFired(let task, let deadline, let thread):
            try mark(
                Marker(time: e.time, cause: .timer(deadline: deadline)), "timer fired (\(label(task.raw)))", thread)
        case .blockingStarted(let task, let job, let thread):
            if blocking[thread] != nil { try closeBlocking(thread, at: e.time) }
            if namedBlockingThreads.insert(thread).inserted {
                try threadName(tid: Self.blockingTid(thread), "blk\(thread)", sortIndex: 1_000 + Int(thread))
            }
            blocking[thread] = BlockingRun(task: task.raw, job: job, start: e.time)
        case .blockingFinished(_, _, let thread):
            if blocking[thread] != nil { try closeBlocking(thread, at: e.time) }
        case .stole(let worker, let victim, let jobs):
            guard let w = self.worker(worker), !isOpen(w) else { return }
            try out.event("i") { o in
                o.field("name", string: "stole \(jobs) from W\(victim)")
                o.field("cat", string: "steal")
                o.field("s", string: "t")
                o.field("ts", at: e.time)
                o.field("pid", Self.pid)
                o.field("tid", Self.workerTid(w))
            }
        case .fdRegistered, .fdDeregistered, .workerBlocked, .wrote, .handleAwaited, .handleDropped: break
        }
    }

    private mutating func scheduled(
        _ task: TaskID, source: WakeSource, argument: UInt64, queue: ReadyQueue, ahead: UInt32, at time: UInt64
    ) throws {
        guard task != .none else { return }
        let origin: (tid: Int, time: UInt64)
        if case .local(let index) = queue, let w = worker(index) {
            // A job goes to the local queue of the worker that schedules it.
            if isOpen(w) {
                origin = (Self.workerTid(w), time)
            } else if let m = workers[w].marker, m.explains(source, argument) {
                origin = (Self.workerTid(w), m.time)
            } else {
                try mark(Marker(time: time, cause: .wake), "wake", .worker(w))
                origin = (Self.workerTid(w), time)
            }
        } else if source == .blockingPool, let thread = blocking.first(where: { $0.value.task == task.raw })?.key {
            // The blocking job resumes its submitter from the pool's thread.
            origin = (Self.blockingTid(thread), time)
        } else if let m = otherMarker, m.explains(source, argument) {
            origin = (Self.otherTid, m.time)
        } else {
            try mark(Marker(time: time, cause: .wake), "wake", .other)
            origin = (Self.otherTid, time)
        }
        pending[task.raw] = Wake(
            source: source, argument: argument, queue: queue, ahead: ahead, at: time, tid: origin.tid,
            flowAt: origin.time)
    }

    /// Writes what `change` ends on its worker: a job or sleep cut by the next one (its end was not
    /// recorded), or the one it ends. A spell whose start was not read has nothing to draw.
    private mutating func close(_ change: WorkerSpells.Change, at time: UInt64) throws {
        let w = change.worker
        if let cut = change.cut { try close(cut, on: w, at: time, why: "its end was not recorded") }
        if let ended = change.ended { try close(ended, on: w, at: time, why: nil) }
        switch change.began.activity {
        case .job, .sleep: workers[w].marker = nil
        case .searching: break
        }
    }

    private mutating func close(_ spell: WorkerSpells.Spell, on w: Int, at time: UInt64, why: String?) throws {
        guard let start = spell.start else { return }
        switch spell.activity {
        case .job(let task): try closeJob(task, start: start, on: w, at: time, why: why)
        case .sleep(let inDriver): try closePark(inDriver: inDriver, start: start, on: w, at: time)
        case .searching: break
        }
    }

    /// Whether worker `w` is in a job or asleep (its track has a slice open).
    private func isOpen(_ w: Int) -> Bool {
        switch spells.spell(of: w)?.activity {
        case .job, .sleep: return true
        case .searching, .none: return false
        }
    }

    /// Records how the running job of `task` ended, for its slice's args.
    private mutating func noteOnJob(of task: TaskID, _ note: String) {
        guard task != .none else { return }
        for w in workers.indices where spells.spell(of: w)?.activity == .job(task) { workers[w].then = note }
    }

    // MARK: slices

    private mutating func closeAll(at time: UInt64, why: String) throws {
        for w in workers.indices {
            workers[w].marker = nil
            if let open = spells.close(w) { try close(open, on: w, at: time, why: why) }
        }
        for thread in blocking.keys.sorted() { try closeBlocking(thread, at: time) }
    }

    /// Writes worker `w`'s job: its slice, its BLOCKED part, then the flow of the wake that scheduled it.
    private mutating func closeJob(_ task: TaskID, start: UInt64, on w: Int, at end: UInt64, why: String?) throws {
        let job = (task: task.raw, start: start, wake: workers[w].wake, then: workers[w].then)
        workers[w].wake = nil
        workers[w].then = nil
        workers[w].marker = nil
        let tid = Self.workerTid(w)
        let ran = end > job.start ? end - job.start : 0
        let name = job.task == 0 ? "job (no task)" : label(job.task)
        var scheduledBy: String?
        var flowName = ""
        if let wake = job.wake {
            let waker = wakerLabel(wake.argument)
            scheduledBy = wake.description(waker: waker)
            flowName = wake.flowName(waker: waker)
        }
        try out.event("X") { o in
            o.field("name", string: name)
            o.field("cat", string: "job")
            o.field("ts", at: job.start)
            o.field("dur", micros: Int64(clamping: ran))
            o.field("pid", Self.pid)
            o.field("tid", tid)
            o.field("args") { a in
                a.field("task", job.task)
                if let wake = job.wake, let scheduledBy {
                    a.field("scheduled by", string: scheduledBy)
                    a.field("queue", string: wake.queue.description)
                    a.field("queued behind", Int(wake.ahead))
                    a.field("waited ns", job.start > wake.at ? job.start - wake.at : 0)
                }
                if let then = job.then { a.field("then", string: then) }
                if let why { a.field("note", string: why) }
            }
        }
        let threshold = setup.configuration.blockedThresholdNanos
        if threshold > 0, ran > threshold {
            try out.event("X") { o in
                o.field("name", string: "BLOCKED")
                o.field("cat", string: "blocked")
                o.field("ts", at: job.start + threshold)
                o.field("dur", micros: Int64(clamping: ran - threshold))
                o.field("pid", Self.pid)
                o.field("tid", tid)
                o.field("args") { a in
                    a.field("job ns", ran)
                    a.field("threshold ns", threshold)
                }
            }
        }
        guard let wake = job.wake else { return }
        let id = nextFlow
        nextFlow += 1
        let category = wake.source == .spawn ? "spawn" : "wakeup"
        try out.event("s") { o in
            o.field("name", string: flowName)
            o.field("cat", string: category)
            o.field("id", id)
            o.field("ts", at: wake.flowAt)
            o.field("pid", Self.pid)
            o.field("tid", wake.tid)
        }
        try out.event("f") { o in
            o.field("name", string: flowName)
            o.field("cat", string: category)
            o.field("id", id)
            o.field("bp", string: "e")
            o.field("ts", at: job.start)
            o.field("pid", Self.pid)
            o.field("tid", tid)
        }
    }

    /// Writes worker `w`'s sleep, if it is asleep: "epoll_wait" in the I/O driver, else "idle".
    private mutating func closePark(inDriver: Bool, start: UInt64, on w: Int, at end: UInt64) throws {
        workers[w].marker = nil
        try slice(inDriver ? "epoll_wait" : "idle", category: "park", tid: Self.workerTid(w), from: start, to: end)
    }

    private mutating func closeBlocking(_ thread: UInt32, at end: UInt64) throws {
        guard let run = blocking.removeValue(forKey: thread) else { return }
        let name = "blocking job \(run.job) for \(label(run.task))"
        try out.event("X") { o in
            o.field("name", string: name)
            o.field("cat", string: "blocking")
            o.field("ts", at: run.start)
            o.field("dur", micros: Int64(clamping: end > run.start ? end - run.start : 0))
            o.field("pid", Self.pid)
            o.field("tid", Self.blockingTid(thread))
            o.field("args") { a in
                a.field("task", run.task)
                a.field("job", run.job)
            }
        }
    }

    /// A plain complete slice with no args.
    private mutating func slice(_ name: String, category: String, tid: Int, from start: UInt64, to end: UInt64) throws {
        try out.event("X") { o in
            o.field("name", string: name)
            o.field("cat", string: category)
            o.field("ts", at: start)
            o.field("dur", micros: Int64(clamping: end > start ? end - start : 0))
            o.field("pid", Self.pid)
            o.field("tid", tid)
        }
    }

    /// Draws `marker` on the recording thread's track (`worker`), unless a slice is open there:
    /// then that slice is where a flow starts, and a marker inside it would break the track's order.
    private mutating func mark(_ marker: Marker, _ name: String, _ thread: EventThread) throws {
        let tid: Int
        if let index = thread.worker, let w = self.worker(index) {
            guard !isOpen(w) else { return }
            workers[w].marker = marker
            tid = Self.workerTid(w)
        } else {
            otherMarker = marker
            tid = Self.otherTid
        }
        try slice(name, category: "wake", tid: tid, from: marker.time, to: marker.time)
    }

    // MARK: tracks and names

    static let pid = 1
    static let otherTid = 900
    static func workerTid(_ w: Int) -> Int { w + 1 }
    static func blockingTid(_ thread: UInt32) -> Int { 1_000 + Int(thread) }

    private func worker(_ index: Int) -> Int? { workers.indices.contains(index) ? index : nil }

    /// The task that woke a job, or, for a thread of no task (ForeignThread), "thread NIO-ELT-0-#1".
    private func wakerLabel(_ argument: UInt64) -> String {
        guard let id = ForeignThread.nameID(in: argument) else { return label(argument) }
        return "thread " + (Int(id) < names.count ? names[Int(id)] : "?")
    }

    /// "t42 echo-conn", or "t42" for a task with no name known.
    private func label(_ task: UInt64) -> String {
        if let id = taskNames[task], Int(id) < names.count { return "t\(task) \(names[Int(id)])" }
        return "t\(task)"
    }

    /// The tracks' names, once, before any event.
    private mutating func start() throws {
        guard !started else { return }
        started = true
        let process = "runviz runtime (echo on \(setup.echoAddress))"
        try out.event("M") { o in
            o.field("name", string: "process_name")
            o.field("pid", Self.pid)
            o.field("args") { $0.field("name", string: process) }
        }
        for w in workers.indices { try threadName(tid: Self.workerTid(w), "W\(w)", sortIndex: w) }
        try threadName(tid: Self.otherTid, "other threads", sortIndex: 10_000)
    }

    private mutating func threadName(tid: Int, _ name: String, sortIndex: Int) throws {
        try out.event("M") { o in
            o.field("name", string: "thread_name")
            o.field("pid", Self.pid)
            o.field("tid", tid)
            o.field("args") { $0.field("name", string: name) }
        }
        try out.event("M") { o in
            o.field("name", string: "thread_sort_index")
            o.field("pid", Self.pid)
            o.field("tid", tid)
            o.field("args") { $0.field("sort_index", sortIndex) }
        }
    }
}
