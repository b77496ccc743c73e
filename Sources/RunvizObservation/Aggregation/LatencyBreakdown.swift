// Echo latency split into the parts the events show, per reply: readiness → wake (the reactor saw a
// connection's bytes and woke its task), wake → run (the task waited in a run queue), run → reply
// (the task's poll until it wrote). A reply is split only when every step was seen, from the same
// readiness ReplyModel times (the oldest unanswered one), so each split reply's parts add up to
// exactly its whole. Windowed like ReplyModel (closed at the sampler's once-a-second tick); the
// QueueBlame beside it says where long queue waits came from.
//
// Beside the replies, every wake of any source is split the same way from its run's start: wake →
// run (its wait in a run queue) and the run it led to. That is the split a program whose replies
// runviz does not see (a server on runviz as its global executor, whose sockets are SwiftNIO's) has:
// a blocked worker shows as a long queue wait behind a long run.

import RunvizTelemetry

struct LatencyBreakdown: Equatable {
    /// An fd's unanswered readiness and the steps of its task seen since.
    struct Pending: Equatable {
        var readyAt: UInt64
        /// The task the readiness woke (0: none yet).
        var task: UInt64
        var wakeAt: UInt64?
        var runAt: UInt64?
    }

    /// One window of split replies, a histogram per part.
    struct Window: Equatable {
        var readyToWake = LogHistogram()
        var queueWait = LogHistogram()
        var run = LogHistogram()
        var whole = LogHistogram()
        /// Every wake's wait in a run queue, and the run it led to.
        var wakeQueueWait = LogHistogram()
        var wakeRun = LogHistogram()
    }

    /// fd (FDModel.key) → its unanswered readiness. The wake and the run of its task are found
    /// from the wake itself (an io wake names its fd), so no task → fd map is kept.
    private(set) var pending = IDTable<Pending>()
    private var current = Window()
    private(set) var lastWindow = Window()
    var blame: QueueBlame
    /// When each worker's current run started, if a wake led to it (indexed by worker).
    private var wakeRunStart: [UInt64?]

    init(workers: Int) {
        blame = QueueBlame(workers: workers)
        wakeRunStart = Array(repeating: nil, count: max(0, workers))
    }

    /// The kernel reported `readiness` on `fd` at `time`, waking `task` (0: no waiter).
    mutating func ready(_ fd: Int32, _ readiness: Interest, task: UInt64, at time: UInt64) {
        guard readiness.contains(.read) || readiness.contains(.hangup) else { return }
        let known = pending.modify(FDModel.key(fd)) { p -> Bool in
            guard p.task == 0 else { return false }
            p.task = task
            return true
        }
        if known == false { return }
        if known == nil { pending[FDModel.key(fd)] = Pending(readyAt: time, task: task) }
    }

    /// `task` entered a run queue; a wake by readiness on its fd is the reply's wake.
    mutating func scheduled(_ task: UInt64, by wake: PendingWake) {
        blame.scheduled(task, queue: wake.queue, at: wake.at)
        guard wake.source == .io else { return }
        pending.modify(wake.argument) { p in
            if p.task == task, p.wakeAt == nil { p.wakeAt = wake.at }
        }
    }

    /// A job of `task` starts; `wake` is the wake this run resolves (nil: none seen).
    mutating func runStarted(_ task: UInt64, worker: Int, at time: UInt64, threshold: UInt64, wake: PendingWake?) {
        blame.runStarted(task, worker: worker, at: time, threshold: threshold)
        if let wake, wake.at <= time {
            current.wakeQueueWait.record(time - wake.at)
            if wakeRunStart.indices.contains(worker) { wakeRunStart[worker] = time }
        }
        guard let wake, wake.source == .io else { return }
        pending.modify(wake.argument) { p in
            if p.task == task, p.wakeAt != nil, p.runAt == nil { p.runAt = time }
        }
    }

    /// The run on `worker` ended at `time`: the run part of its wake's split, if a wake led to it.
    mutating func runFinished(worker: Int, at time: UInt64, threshold: UInt64) {
        blame.runFinished(worker: worker, at: time, threshold: threshold)
        guard wakeRunStart.indices.contains(worker), let start = wakeRunStart[worker] else { return }
        wakeRunStart[worker] = nil
        if start <= time { current.wakeRun.record(time - start) }
    }

    /// The task on `fd` wrote at `time`: a reply, split when its wake and run were seen.
    mutating func wrote(_ fd: Int32, at time: UInt64) {
        guard let p = pending.removeValue(forKey: FDModel.key(fd)) else { return }
        guard let wake = p.wakeAt, let run = p.runAt, p.readyAt <= wake, wake <= run, run <= time else { return }
        current.readyToWake.record(wake - p.readyAt)
        current.queueWait.record(run - wake)
        current.run.record(time - run)
        current.whole.record(time - p.readyAt)
    }

    /// The task parks on `fd` to read again, or `fd` is gone: its readiness needed no reply.
    mutating func forget(_ fd: Int32) { pending.removeValue(forKey: FDModel.key(fd)) }

    /// Closes the current window at `time` (the sampler's once-a-second tick).
    mutating func closeWindow(at time: UInt64) {
        lastWindow = current
        current = Window()
        pending.shrinkIfSparse()
        blame.closeWindow(at: time)
    }

    /// The last full window's parts and the blame at `now`.
    func summary(now: UInt64, threshold: UInt64, name: (UInt64) -> String) -> LatencyBreakdownSnapshot {
        func part(_ h: LogHistogram) -> LatencyBreakdownSnapshot.Part {
            LatencyBreakdownSnapshot.Part(p50Nanos: h.value(at: 50), p99Nanos: h.value(at: 99))
        }
        func withMax(_ h: LogHistogram) -> LatencyBreakdownSnapshot.Part {
            LatencyBreakdownSnapshot.Part(
                p50Nanos: h.value(at: 50), p99Nanos: h.value(at: 99), maxNanos: h.total == 0 ? nil : h.maximum)
        }
        return LatencyBreakdownSnapshot(
            replies: lastWindow.whole.total, readyToWake: part(lastWindow.readyToWake),
            queueWait: part(lastWindow.queueWait), run: part(lastWindow.run), whole: part(lastWindow.whole),
            wakes: lastWindow.wakeQueueWait.total, wakeQueueWait: withMax(lastWindow.wakeQueueWait),
            wakeRun: withMax(lastWindow.wakeRun), blame: blame.summary(now: now, threshold: threshold, name: name))
    }
}
