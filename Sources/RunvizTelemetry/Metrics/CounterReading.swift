// Every counter the runtime publishes, read at one instant into plain values. Whoever draws or
// records the runtime takes one reading per frame (`TelemetryHub.readCounters`) and hands it to the
// Aggregator, which never reads live atomics itself: a reading can come from this process, a
// recording or another process alike, and tests can write one by hand.

public struct CounterReading: Sendable, Codable, Equatable {
    /// One worker's published metrics.
    public struct Worker: Sendable, Codable, Equatable {
        public var index: Int
        /// Jobs run (the primer's polls).
        public var runs: UInt64
        /// Nanoseconds spent running jobs (finished jobs only).
        public var busyNanos: UInt64
        /// Jobs taken from other workers' queues.
        public var steals: UInt64
        /// Times the worker went to sleep.
        public var parks: UInt64
        /// Jobs waiting in its local queue.
        public var localQueueDepth: Int
        public var activity: WorkerActivity
        /// The task whose job is running (0: none).
        public var currentTask: UInt64
        /// When the running job started (monotonic ns; 0: no job running).
        public var jobStartedAt: UInt64

        public init(
            index: Int, runs: UInt64 = 0, busyNanos: UInt64 = 0, steals: UInt64 = 0, parks: UInt64 = 0,
            localQueueDepth: Int = 0, activity: WorkerActivity = .searching, currentTask: UInt64 = 0,
            jobStartedAt: UInt64 = 0
        ) {
            self.index = index
            self.runs = runs
            self.busyNanos = busyNanos
            self.steals = steals
            self.parks = parks
            self.localQueueDepth = localQueueDepth
            self.activity = activity
            self.currentTask = currentTask
            self.jobStartedAt = jobStartedAt
        }
    }

    public var workers: [Worker]
    /// Jobs in the global inject queue.
    public var injectQueueDepth: Int
    public var blockingPool: BlockingPoolSnapshot
    /// Tasks spawned and finished (completed or cancelled), counted even when events are off.
    public var tasksSpawned: UInt64
    public var tasksFinished: UInt64
    /// Events discarded by full rings, all threads.
    public var droppedEvents: UInt64
    /// Whether events are being recorded (counters run either way).
    public var eventsEnabled: Bool

    public init(
        workers: [Worker], injectQueueDepth: Int = 0, blockingPool: BlockingPoolSnapshot = BlockingPoolSnapshot(),
        tasksSpawned: UInt64 = 0, tasksFinished: UInt64 = 0, droppedEvents: UInt64 = 0, eventsEnabled: Bool = true
    ) {
        self.workers = workers
        self.injectQueueDepth = injectQueueDepth
        self.blockingPool = blockingPool
        self.tasksSpawned = tasksSpawned
        self.tasksFinished = tasksFinished
        self.droppedEvents = droppedEvents
        self.eventsEnabled = eventsEnabled
    }

    /// A reading of `workers` idle workers and nothing else (tests, a source with no counters yet).
    public static func idle(workers: Int) -> CounterReading {
        CounterReading(workers: (0..<workers).map { Worker(index: $0) })
    }

    /// Ready jobs in every queue.
    public var readyDepth: Int { injectQueueDepth + workers.reduce(0) { $0 + $1.localQueueDepth } }

    /// Tasks spawned and not yet finished.
    public var liveTasks: Int { Int(clamping: Int64(bitPattern: tasksSpawned &- tasksFinished)) }
}
