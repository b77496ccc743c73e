// Echo latency split into the parts the events show, per reply: readiness → wake (the reactor saw a
// connection's bytes and woke its task), wake → run (the task waited in a run queue), run → reply
// (the task's poll until it wrote). A reply is split only when every step was seen, from the same
// readiness ReplyModel times (the oldest unanswered one), so each split reply's parts add up to
// exactly its whole: the steps are noted on the fd's reply in flight (FDModel), and split here when
// the write takes it. Windowed like ReplyModel (closed at the sampler's once-a-second tick); the
// QueueBlame beside it says where long queue waits came from.
//
// Beside the replies, every wake of any source is split the same way from its run's start: wake →
// run (its wait in a run queue) and the run it led to. That is the split a program whose replies
// runviz does not see (a server on runviz as its global executor, whose sockets are SwiftNIO's) has:
// a blocked worker shows as a long queue wait behind a long run.

import RunvizTelemetry

struct LatencyBreakdown: Equatable {
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

    private var current = Window()
    private(set) var lastWindow = Window()
    var blame: QueueBlame
    /// When each worker's current run started, if a wake led to it (indexed by worker).
    private var wakeRunStart: [UInt64?]

    init(workers: Int) {
        blame = QueueBlame(workers: workers)
        wakeRunStart = Array(repeating: nil, count: max(0, workers))
    }

    /// `task` entered a run queue (a reply's wake is noted on its fd: FDModel.replyWoken).
    @inline(__always)
    mutating func scheduled(_ task: UInt64, by wake: PendingWake) {
        blame.scheduled(task, queue: wake.queue, at: wake.at)
    }

    /// A job of `task` starts; `wake` is the wake this run resolves (nil: none seen). A reply's run
    /// is noted on its fd (FDModel.replyRuns).
    @inline(__always)
    mutating func runStarted(_ task: UInt64, worker: Int, at time: UInt64, threshold: UInt64, wake: PendingWake?) {
        blame.runStarted(task, worker: worker, at: time, threshold: threshold)
        if let wake, wake.at <= time {
            current.wakeQueueWait.record(time - wake.at)
            if wakeRunStart.indices.contains(worker) { wakeRunStart[worker] = time }
        }
    }

    /// The run on `worker` ended at `time`: the run part of its wake's split, if a wake led to it.
    @inline(__always)
    mutating func runFinished(worker: Int, at time: UInt64, threshold: UInt64) {
        blame.runFinished(worker: worker, at: time, threshold: threshold)
        guard wakeRunStart.indices.contains(worker), let start = wakeRunStart[worker] else { return }
        wakeRunStart[worker] = nil
        if start <= time { current.wakeRun.record(time - start) }
    }

    /// A write at `time` answered `p`: split when its wake and run were seen.
    @inline(__always)
    mutating func replied(_ p: ReplyInFlight, at time: UInt64) {
        guard let wake = p.wakeAt, let run = p.runAt, p.readyAt <= wake, wake <= run, run <= time else { return }
        current.readyToWake.record(wake - p.readyAt)
        current.queueWait.record(run - wake)
        current.run.record(time - run)
        current.whole.record(time - p.readyAt)
    }

    /// Closes the current window at `time` (the sampler's once-a-second tick).
    mutating func closeWindow(at time: UInt64) {
        lastWindow = current
        current = Window()
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
