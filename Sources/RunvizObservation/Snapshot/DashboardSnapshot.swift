// Everything one dashboard frame shows, as plain values: the runtime snapshot plus the echo
// server's statistics, the process's memory and threads, demo results, lints and the selected
// task's timeline. A frame source (the live Session) assembles it; the TUI renders it and imports
// nothing else.

import RunvizTelemetry

public struct DashboardSnapshot: Sendable, Codable, Equatable {
    public var runtime: RuntimeSnapshot
    public var echo: EchoSnapshot
    public var process: ProcessSnapshot
    public var demos: DemoSnapshot
    public var lints: [Lint]
    /// The timeline of the task the view asked to follow (Enter / step mode), if any.
    public var timeline: TaskTimeline?
    /// Measured cost of instrumentation: extra CPU per job with events on, in nanoseconds (nil: not measured yet).
    public var instrumentationCostNanos: Double?
    /// Built-in synthetic clients running now.
    public var syntheticClients: Int
    /// The stretch of the past the source can show (nil: it keeps none).
    public var history: HistorySpan?
    /// The recording this session writes, if any.
    public var recording: RecordingStatus?
    /// Where a replayed recording is (nil: a live source).
    public var replay: ReplayPosition?

    public init(
        runtime: RuntimeSnapshot, echo: EchoSnapshot = EchoSnapshot(), process: ProcessSnapshot = ProcessSnapshot(),
        demos: DemoSnapshot = DemoSnapshot(), lints: [Lint] = [], timeline: TaskTimeline? = nil,
        instrumentationCostNanos: Double? = nil, syntheticClients: Int = 0, history: HistorySpan? = nil,
        recording: RecordingStatus? = nil, replay: ReplayPosition? = nil
    ) {
        self.runtime = runtime
        self.echo = echo
        self.process = process
        self.demos = demos
        self.lints = lints
        self.timeline = timeline
        self.instrumentationCostNanos = instrumentationCostNanos
        self.syntheticClients = syntheticClients
        self.history = history
        self.recording = recording
        self.replay = replay
    }
}

/// Where playback of a recording is.
public struct ReplayPosition: Sendable, Codable, Equatable {
    public var path: String
    /// Recorded time since the recorded runtime started (ns).
    public var at: UInt64
    /// Every observation in the file has been shown.
    public var ended: Bool
    /// Observations the recorder had to drop (its disk could not keep up).
    public var droppedObservations: UInt64
    /// Why playback stopped before the file's end (a cut-off or corrupt block), if it did.
    public var problem: String?

    public init(path: String, at: UInt64, ended: Bool, droppedObservations: UInt64 = 0, problem: String? = nil) {
        self.path = path
        self.at = at
        self.ended = ended
        self.droppedObservations = droppedObservations
        self.problem = problem
    }
}

public struct EchoSnapshot: Sendable, Codable, Equatable {
    /// How new connections are served, as the screen describes it.
    public enum Mode: String, Sendable, Codable, Equatable {
        /// One runtime task per connection, non-blocking I/O through the reactor.
        case tasks
        /// One OS thread per connection, blocking I/O.
        case threads
    }
    public var address: String
    public var mode: Mode
    public var openConnections: Int
    /// Open connections served by tasks and by threads.
    public var taskConnections: Int
    public var threadConnections: Int
    public var totalConnections: UInt64
    /// Reads answered and bytes echoed per second, over the last full second (the same second as
    /// every other rate on screen), from counters read outside the runtime.
    public var roundTripsPerSecond: Double
    public var bytesPerSecond: Double
    public var acceptBackoffs: UInt64
    public var connectionErrors: UInt64
    public init(
        address: String = "", mode: Mode = .tasks, openConnections: Int = 0, taskConnections: Int = 0,
        threadConnections: Int = 0, totalConnections: UInt64 = 0, roundTripsPerSecond: Double = 0,
        bytesPerSecond: Double = 0, acceptBackoffs: UInt64 = 0,
        connectionErrors: UInt64 = 0
    ) {
        self.address = address
        self.mode = mode
        self.openConnections = openConnections
        self.taskConnections = taskConnections
        self.threadConnections = threadConnections
        self.totalConnections = totalConnections
        self.roundTripsPerSecond = roundTripsPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.acceptBackoffs = acceptBackoffs
        self.connectionErrors = connectionErrors
    }
}

/// The process as the kernel sees it (/proc/self/status).
public struct ProcessSnapshot: Sendable, Codable, Equatable {
    public var residentBytes: UInt64
    public var virtualBytes: UInt64
    public var threads: Int
    /// CPU used by the whole process over the last second, in percent of one core.
    public var cpuPercent: Double
    /// CPU used by the UI thread over the last second, percent of one core.
    public var uiCPUPercent: Double
    /// What one more connection cost the process, measured from its growth (nil: not measured yet).
    public var perTaskConnection: ConnectionCost?
    public var perThreadConnection: ConnectionCost?
    public init(
        residentBytes: UInt64 = 0, virtualBytes: UInt64 = 0, threads: Int = 0, cpuPercent: Double = 0,
        uiCPUPercent: Double = 0, perTaskConnection: ConnectionCost? = nil, perThreadConnection: ConnectionCost? = nil
    ) {
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.threads = threads
        self.cpuPercent = cpuPercent
        self.uiCPUPercent = uiCPUPercent
        self.perTaskConnection = perTaskConnection
        self.perThreadConnection = perThreadConnection
    }
}

/// Resident and virtual bytes per connection, from the process growing by `connections` of one
/// kind while the other kind stayed the same.
public struct ConnectionCost: Sendable, Codable, Equatable {
    public var residentBytes: Double
    public var virtualBytes: Double
    /// How many connections the measurement spans.
    public var connections: Int
    public init(residentBytes: Double, virtualBytes: Double, connections: Int) {
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.connections = connections
    }
}

/// Results of the demos started from the keyboard.
public struct DemoSnapshot: Sendable, Codable, Equatable {
    /// `async let` join demo: measured elapsed times.
    public struct Join: Sendable, Codable, Equatable {
        public var firstMillis: Int
        public var secondMillis: Int
        /// nil while still running.
        public var concurrentNanos: UInt64?
        public var sequentialNanos: UInt64?
        /// When the demo started (monotonic ns): the panel lists the latest first.
        public var startedAt: UInt64
        public init(
            firstMillis: Int, secondMillis: Int, concurrentNanos: UInt64? = nil, sequentialNanos: UInt64? = nil,
            startedAt: UInt64 = 0
        ) {
            self.firstMillis = firstMillis
            self.secondMillis = secondMillis
            self.concurrentNanos = concurrentNanos
            self.sequentialNanos = sequentialNanos
            self.startedAt = startedAt
        }
    }
    /// Lock demo: contending tasks on a blocking lock or on the async mutex.
    public struct Lock: Sendable, Codable, Equatable {
        public var blocking: Bool
        public var tasks: Int
        public var finished: Int
        /// The async mutex's id (its waiters are the tasks the snapshot shows parked on it).
        public var mutexID: UInt32?
        /// The task holding the lock now (nil: free).
        public var holder: TaskID?
        public var elapsedNanos: UInt64?
        public var startedAt: UInt64
        /// Tasks that gave the blocking lock up: a deadlock (one worker) they ended by giving up.
        public var gaveUp: Int
        public init(
            blocking: Bool, tasks: Int, finished: Int = 0, mutexID: UInt32? = nil, holder: TaskID? = nil,
            elapsedNanos: UInt64? = nil, startedAt: UInt64 = 0, gaveUp: Int = 0
        ) {
            self.blocking = blocking
            self.tasks = tasks
            self.finished = finished
            self.mutexID = mutexID
            self.holder = holder
            self.elapsedNanos = elapsedNanos
            self.startedAt = startedAt
            self.gaveUp = gaveUp
        }
    }
    /// Channel demo: producers and consumers on a bounded channel. Who is parked on it is not here:
    /// the screen counts the runtime snapshot's tasks parked on channel `id`, the same tasks its rows show.
    public struct Channel: Sendable, Codable, Equatable {
        /// The channel's id, as in `ParkReason.channel(id:sending:)`.
        public var id: UInt32
        public var capacity: Int
        public var buffered: Int
        public var sent: Int
        public var received: Int
        public var total: Int
        public var startedAt: UInt64
        public init(
            id: UInt32, capacity: Int, buffered: Int = 0, sent: Int = 0, received: Int = 0, total: Int,
            startedAt: UInt64 = 0
        ) {
            self.id = id
            self.capacity = capacity
            self.buffered = buffered
            self.sent = sent
            self.received = received
            self.total = total
            self.startedAt = startedAt
        }
    }
    public var join: Join?
    public var lock: Lock?
    public var channel: Channel?
    /// One line on the last thing the user did ("spawned t42 demo-spawn").
    public var lastAction: String?
    /// The demo key pressed last, for the caption the screen writes while it runs.
    public var current: DemoRun?
    public init(
        join: Join? = nil, lock: Lock? = nil, channel: Channel? = nil, lastAction: String? = nil,
        current: DemoRun? = nil
    ) {
        self.join = join
        self.lock = lock
        self.channel = channel
        self.lastAction = lastAction
        self.current = current
    }
}

/// One task's recent life, step by step (Enter opens it; step mode walks it).
public struct TaskTimeline: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public enum Step: Sendable, Codable, Equatable {
            case spawned
            /// `by`: the task that woke it, when another task did (a channel send, an unlock, a join, a
            /// child ending, a continuation resumed inside its job).
            case scheduled(source: WakeSource, queuedBehind: Int, by: TaskID? = nil)
            case runStarted(worker: Int)
            case runFinished(worker: Int, nanos: UInt64)
            case parked(ParkReason)
            /// The syscall that proved the fd not ready, just before the task parks on it.
            case readinessCleared(fd: Int32, interest: Interest, by: ReadinessProof)
            case interestRegistered(fd: Int32, interest: Interest)
            case fdReady(fd: Int32, readiness: Interest)
            case timerFired
            case completed
            case cancelled
        }
        public var time: UInt64
        public var step: Step
        public init(time: UInt64, step: Step) {
            self.time = time
            self.step = step
        }
    }
    public var task: TaskID
    public var name: String
    /// Oldest first: the steps kept, which are the last ones recorded since following began.
    public var entries: [Entry]
    /// The step number of `entries[0]` since following began: steps keep their numbers when older
    /// ones are dropped, so a walk through them stays where it is.
    public var firstIndex: Int
    /// The time of the first step since following began: offsets stay put when older steps go.
    public var origin: UInt64?
    /// Poll (job run) time percentiles p50/p90/p99, nanoseconds.
    public var pollPercentiles: [UInt64]
    /// Scheduling latency (wake → run) percentiles p50/p90/p99, nanoseconds.
    public var latencyPercentiles: [UInt64]
    public init(
        task: TaskID, name: String, entries: [Entry], firstIndex: Int = 0, origin: UInt64? = nil,
        pollPercentiles: [UInt64] = [], latencyPercentiles: [UInt64] = []
    ) {
        self.task = task
        self.name = name
        self.entries = entries
        self.firstIndex = firstIndex
        self.origin = origin ?? entries.first?.time
        self.pollPercentiles = pollPercentiles
        self.latencyPercentiles = latencyPercentiles
    }
}
