// What the runtime looked like at one instant, as plain values: the only thing the screen reads.
// Built by the Aggregator from events and counters; `Codable` so `runviz serve --json` prints the
// same data the dashboard draws. Times are monotonic nanoseconds unless a name says otherwise.

import RunvizTelemetry

public struct RuntimeSnapshot: Sendable, Codable, Equatable {
    public var configuration: ConfigurationSummary
    /// Monotonic time the snapshot was taken, and nanoseconds since the runtime started.
    public var takenAt: UInt64
    public var uptimeNanos: UInt64
    public var workers: [WorkerSnapshot]
    /// Jobs in the global inject queue.
    public var injectQueueDepth: Int
    /// Total ready jobs (inject + every local queue), one sample per second, oldest first (≤ 60).
    public var readyQueueHistory: [Int]
    /// The first tasks waiting in run queues, oldest first (≤ 16).
    public var queuedTasks: [QueuedTask]
    public var blockingPool: BlockingPoolSnapshot
    /// Live tasks (and recently finished ones), ordered by id.
    public var tasks: [TaskSnapshot]
    public var taskCounts: TaskCounts
    /// The epoll interest list, ordered by fd.
    public var fds: [FDSnapshot]
    /// The most recent wakeup chains, oldest first (≤ 64).
    public var wakeups: [WakeupChain]
    /// Wakeups per second by source, over the last second.
    public var wakeupsPerSecond: [WakeSource: Double]
    /// Readiness → reply on the reactor's streams, over the same last second.
    public var replies: ReplyLatency
    /// Those replies split into readiness → wake → run → reply, and what long queue waits queued behind.
    public var latency: LatencyBreakdownSnapshot
    public var totals: Totals

    public init(
        configuration: ConfigurationSummary, takenAt: UInt64 = 0, uptimeNanos: UInt64 = 0,
        workers: [WorkerSnapshot] = [], injectQueueDepth: Int = 0, readyQueueHistory: [Int] = [],
        queuedTasks: [QueuedTask] = [], blockingPool: BlockingPoolSnapshot = BlockingPoolSnapshot(),
        tasks: [TaskSnapshot] = [], taskCounts: TaskCounts = TaskCounts(), fds: [FDSnapshot] = [],
        wakeups: [WakeupChain] = [], wakeupsPerSecond: [WakeSource: Double] = [:],
        replies: ReplyLatency = ReplyLatency(), latency: LatencyBreakdownSnapshot = LatencyBreakdownSnapshot(),
        totals: Totals = Totals()
    ) {
        self.configuration = configuration
        self.takenAt = takenAt
        self.uptimeNanos = uptimeNanos
        self.workers = workers
        self.injectQueueDepth = injectQueueDepth
        self.readyQueueHistory = readyQueueHistory
        self.queuedTasks = queuedTasks
        self.blockingPool = blockingPool
        self.tasks = tasks
        self.taskCounts = taskCounts
        self.fds = fds
        self.wakeups = wakeups
        self.wakeupsPerSecond = wakeupsPerSecond
        self.replies = replies
        self.latency = latency
        self.totals = totals
    }

    /// Ready jobs in every queue right now.
    public var readyDepth: Int { injectQueueDepth + workers.reduce(0) { $0 + $1.localQueueDepth } }

    public func task(_ id: TaskID) -> TaskSnapshot? {
        var lo = 0
        var hi = tasks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tasks[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < tasks.count && tasks[lo].id == id ? tasks[lo] : nil
    }
}

/// How the runtime was built (the primer's `Builder::new_multi_thread()`).
public struct ConfigurationSummary: Sendable, Codable, Equatable {
    public var workers: Int
    public var maxBlockingThreads: Int
    public var blockedThresholdNanos: UInt64
    public var instrumentation: Bool
    /// The runtime is the process's global executor for a program's own tasks: every task of the
    /// program runs on it, but not main-actor code (Dispatch's main queue runs that), and runviz
    /// holds none of their handles nor takes the runtime keys. False for runviz's own session,
    /// whose tasks it spawns, even as the global executor.
    public var globalExecutor: Bool
    public init(
        workers: Int, maxBlockingThreads: Int, blockedThresholdNanos: UInt64, instrumentation: Bool,
        globalExecutor: Bool = false
    ) {
        self.workers = workers
        self.maxBlockingThreads = maxBlockingThreads
        self.blockedThresholdNanos = blockedThresholdNanos
        self.instrumentation = instrumentation
        self.globalExecutor = globalExecutor
    }
}

/// One worker thread.
public struct WorkerSnapshot: Sendable, Codable, Equatable {
    public enum State: Sendable, Codable, Equatable {
        case running(TaskID, name: String, forNanos: UInt64)
        case searching
        case parked
        case parkedInDriver
        /// A job has run longer than the blocked threshold (the watchdog's verdict).
        case blocked(TaskID, name: String, forNanos: UInt64)
        /// Waiting for a blocking lock inside a job.
        case blockedOnLock(TaskID, name: String, forNanos: UInt64)
        case stopped
    }
    public var index: Int
    public var state: State
    /// Fraction of the second ending at the snapshot spent running jobs (the running job included), 0...1.
    public var busyRatio: Double
    /// Busy fraction of each whole second sampled, oldest first (≤ 60).
    public var busyHistory: [Double]
    public var runs: UInt64
    public var runsPerSecond: Double
    public var steals: UInt64
    public var parks: UInt64
    public var localQueueDepth: Int

    public init(
        index: Int, state: State, busyRatio: Double = 0, busyHistory: [Double] = [], runs: UInt64 = 0,
        runsPerSecond: Double = 0, steals: UInt64 = 0, parks: UInt64 = 0, localQueueDepth: Int = 0
    ) {
        self.index = index
        self.state = state
        self.busyRatio = busyRatio
        self.busyHistory = busyHistory
        self.runs = runs
        self.runsPerSecond = runsPerSecond
        self.steals = steals
        self.parks = parks
        self.localQueueDepth = localQueueDepth
    }
}

/// A task waiting in a run queue.
public struct QueuedTask: Sendable, Codable, Equatable {
    public var id: TaskID
    public var name: String
    /// Worker index of the local queue, or nil for the inject queue.
    public var worker: Int?
    public var waitingNanos: UInt64
    public init(id: TaskID, name: String, worker: Int?, waitingNanos: UInt64) {
        self.id = id
        self.name = name
        self.worker = worker
        self.waitingNanos = waitingNanos
    }
}
/// One task.
public struct TaskSnapshot: Sendable, Codable, Equatable {
    public enum State: Sendable, Codable, Equatable {
        /// Spawned and queued, never run yet (the primer's "futures are lazy" moment).
        case notYetPolled
        case queued
        case running(worker: Int)
        case parked(ParkReason)
        case completed
        case cancelled

        public var word: String {
            switch self {
            case .notYetPolled: return "new"
            case .queued: return "queued"
            case .running: return "running"
            case .parked: return "parked"
            case .completed: return "done"
            case .cancelled: return "cancelled"
            }
        }
    }
    public var id: TaskID
    public var name: String
    public var parent: TaskID?
    public var state: State
    /// When the current state began.
    public var since: UInt64
    /// When it was spawned (a child: created); 0 when the events seen began after that.
    public var spawnedAt: UInt64
    public var polls: UInt64
    public var wakes: UInt64
    public var busyNanos: UInt64
    /// The longest single job (poll) so far.
    public var longestPollNanos: UInt64
    /// Time from the last wake (enqueue) to its run.
    public var lastSchedulingLatencyNanos: UInt64?
    public var lastWorker: Int?
    /// What became of its JoinHandle: held, awaited by whom, dropped unawaited; none for a child.
    public var handle: JoinHandleState
    /// A child task (`async let`, task group): created inside `parent`'s job, awaited by it.
    public var isChild: Bool
    /// Child tasks of this one that have not ended.
    public var liveChildren: Int
    /// What it is parked on in words, with names resolved ("actor Inventory"); nil unless parked.
    public var parkedOn: String?

    public init(
        id: TaskID, name: String, parent: TaskID? = nil, state: State, since: UInt64 = 0, spawnedAt: UInt64 = 0,
        polls: UInt64 = 0, wakes: UInt64 = 0, busyNanos: UInt64 = 0, longestPollNanos: UInt64 = 0,
        lastSchedulingLatencyNanos: UInt64? = nil, lastWorker: Int? = nil, handle: JoinHandleState = .noHandle,
        isChild: Bool = false, liveChildren: Int = 0, parkedOn: String? = nil
    ) {
        self.id = id
        self.name = name
        self.parent = parent
        self.state = state
        self.since = since
        self.spawnedAt = spawnedAt
        self.polls = polls
        self.wakes = wakes
        self.busyNanos = busyNanos
        self.longestPollNanos = longestPollNanos
        self.lastSchedulingLatencyNanos = lastSchedulingLatencyNanos
        self.lastWorker = lastWorker
        self.handle = handle
        self.isChild = isChild
        self.liveChildren = liveChildren
        self.parkedOn = parkedOn
    }
}

public struct TaskCounts: Sendable, Codable, Equatable {
    public var alive: Int
    public var notYetPolled: Int
    public var queued: Int
    public var running: Int
    public var parked: [ParkKind: Int]
    public var finished: UInt64
    /// Finished tasks still listed (`tasks` keeps them a while after they end).
    public var recentlyFinished: Int
    public init(
        alive: Int = 0, notYetPolled: Int = 0, queued: Int = 0, running: Int = 0, parked: [ParkKind: Int] = [:],
        finished: UInt64 = 0, recentlyFinished: Int = 0
    ) {
        self.alive = alive
        self.notYetPolled = notYetPolled
        self.queued = queued
        self.running = running
        self.parked = parked
        self.finished = finished
        self.recentlyFinished = recentlyFinished
    }
    public var parkedTotal: Int { parked.values.reduce(0, +) }
}

/// One entry of the epoll interest list. Every fd is registered once for read and write,
/// edge-triggered; what changes is which direction a task waits for (its waker, held by the
/// reactor) and what the kernel reported.
public struct FDSnapshot: Sendable, Codable, Equatable {
    public var fd: Int32
    /// The directions a parked task waits for now (empty: nobody waits).
    public var interest: Interest
    public var owner: TaskID
    public var ownerName: String
    public var timesReady: UInt64
    /// When the kernel last reported it ready (nil: never), and what it reported then.
    public var lastReady: UInt64?
    public var lastReadiness: Interest
    public init(
        fd: Int32, interest: Interest, owner: TaskID, ownerName: String, timesReady: UInt64 = 0,
        lastReady: UInt64? = nil, lastReadiness: Interest = []
    ) {
        self.fd = fd
        self.interest = interest
        self.owner = owner
        self.ownerName = ownerName
        self.timesReady = timesReady
        self.lastReady = lastReady
        self.lastReadiness = lastReadiness
    }
}

/// source → task → queued behind k → run on worker W after latency.
public struct WakeupChain: Sendable, Codable, Equatable {
    public var source: WakeSource
    /// fd for `.io`, waking task for `.task`, deadline for `.timer`.
    public var sourceArgument: UInt64
    /// Readiness the kernel reported, for `.io`.
    public var readiness: Interest
    public var task: TaskID
    public var taskName: String
    public var queuedBehind: Int
    /// Worker index, nil when queued on the inject queue... the worker that ran it.
    public var worker: Int
    /// Enqueue → run.
    public var latencyNanos: UInt64
    /// When it was woken (enqueued).
    public var wokenAt: UInt64
    /// For `.other` from a thread of no task (ForeignThread): the thread's name.
    public var wakerThread: String?
    /// What the task was parked on when woken (nil: not parked, or not known).
    public var parkedOn: ParkKind?
    public init(
        source: WakeSource, sourceArgument: UInt64, readiness: Interest = [], task: TaskID, taskName: String,
        queuedBehind: Int, worker: Int, latencyNanos: UInt64, wokenAt: UInt64
    ) {
        self.source = source
        self.sourceArgument = sourceArgument
        self.readiness = readiness
        self.task = task
        self.taskName = taskName
        self.queuedBehind = queuedBehind
        self.worker = worker
        self.latencyNanos = latencyNanos
        self.wokenAt = wokenAt
    }
}

public struct Totals: Sendable, Codable, Equatable {
    public var events: UInt64
    public var eventsPerSecond: Double
    public var droppedEvents: UInt64
    public var spawned: UInt64
    public var finished: UInt64
    public var polls: UInt64
    public var wakes: UInt64
    public var steals: UInt64
    /// Aggregator time per second of runtime, as a fraction of one core.
    public var aggregatorLoad: Double
    public init(
        events: UInt64 = 0, eventsPerSecond: Double = 0, droppedEvents: UInt64 = 0, spawned: UInt64 = 0,
        finished: UInt64 = 0, polls: UInt64 = 0, wakes: UInt64 = 0, steals: UInt64 = 0,
        aggregatorLoad: Double = 0
    ) {
        self.events = events
        self.eventsPerSecond = eventsPerSecond
        self.droppedEvents = droppedEvents
        self.spawned = spawned
        self.finished = finished
        self.polls = polls
        self.wakes = wakes
        self.steals = steals
        self.aggregatorLoad = aggregatorLoad
    }
}
