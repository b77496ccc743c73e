// Why a reply took as long as it did, in three parts measured from events, over the last full
// second (the same window as ReplyLatency): readiness → wake (the reactor saw the bytes and woke the
// connection's task), wake → run (the task waited in a run queue), run → reply (the task's own
// poll until it wrote). Each split reply's parts add up to its whole; percentiles of the parts need
// not add up to the whole's, which is why the whole is given beside them. Every wake, of any
// source, is split too: its wait in a run queue and the run it led to (`wakes`), which is what a
// program whose replies runviz does not see has.
//
// `blame` names where long queue waits came from: a queue whose worker ran one job past the
// blocked threshold while wakeups queued behind it (for the inject queue: while every worker was in
// such a job). A job still running counts as it goes; a finished one stays until its second has
// been shown.

import RunvizTelemetry

public struct LatencyBreakdownSnapshot: Sendable, Codable, Equatable {
    /// One part's percentiles over the window (nil: no split reply in it).
    public struct Part: Sendable, Codable, Equatable {
        public var p50Nanos: UInt64?
        public var p99Nanos: UInt64?
        /// The longest (nil: none, or not kept for this part).
        public var maxNanos: UInt64?
        public init(p50Nanos: UInt64? = nil, p99Nanos: UInt64? = nil, maxNanos: UInt64? = nil) {
            self.p50Nanos = p50Nanos
            self.p99Nanos = p99Nanos
            self.maxNanos = maxNanos
        }
    }

    /// Replies whose every step was seen (fd ready, wake, run start, write) in the window.
    public var replies: UInt64
    public var readyToWake: Part
    public var queueWait: Part
    public var run: Part
    /// The same replies, whole.
    public var whole: Part
    /// Wakes (of any source) whose run started in the window: their wait in a run queue, and the
    /// runs they led to.
    public var wakes: UInt64
    public var wakeQueueWait: Part
    public var wakeRun: Part
    /// Worst first (most wakeups behind one job).
    public var blame: [LatencyBlame]

    public init(
        replies: UInt64 = 0, readyToWake: Part = Part(), queueWait: Part = Part(), run: Part = Part(),
        whole: Part = Part(), wakes: UInt64 = 0, wakeQueueWait: Part = Part(), wakeRun: Part = Part(),
        blame: [LatencyBlame] = []
    ) {
        self.wakes = wakes
        self.wakeQueueWait = wakeQueueWait
        self.wakeRun = wakeRun
        self.replies = replies
        self.readyToWake = readyToWake
        self.queueWait = queueWait
        self.run = run
        self.whole = whole
        self.blame = blame
    }

    /// The parts' medians added up, to set beside `whole.p50Nanos` (nil: no split reply).
    public var sumOfMediansNanos: UInt64? {
        guard let a = readyToWake.p50Nanos, let b = queueWait.p50Nanos, let c = run.p50Nanos else { return nil }
        return a + b + c
    }
}

/// Wakeups that queued behind one job that ran past the blocked threshold.
public struct LatencyBlame: Sendable, Codable, Equatable {
    /// A run queue: a worker's local queue, or the global inject queue.
    public enum Queue: Sendable, Codable, Equatable, Hashable {
        case worker(Int)
        case inject
    }

    public var queue: Queue
    /// Wakeups that entered `queue` while the job ran.
    public var wakeups: Int
    /// The longest of their waits: measured when they ran, or how long the first has waited so far.
    public var worstWaitNanos: UInt64
    /// The job's task and its name ("" when unknown), the worker it ran on and how long it ran
    /// (so far, while `ongoing`).
    public var blocker: TaskID
    public var blockerName: String
    public var worker: Int
    public var blockedNanos: UInt64
    public var ongoing: Bool

    public init(
        queue: Queue, wakeups: Int, worstWaitNanos: UInt64, blocker: TaskID, blockerName: String, worker: Int,
        blockedNanos: UInt64, ongoing: Bool
    ) {
        self.queue = queue
        self.wakeups = wakeups
        self.worstWaitNanos = worstWaitNanos
        self.blocker = blocker
        self.blockerName = blockerName
        self.worker = worker
        self.blockedNanos = blockedNanos
        self.ongoing = ongoing
    }
}
