// The runtime's vocabulary as small value types: what a task waits on, why it was scheduled,
// which readiness a file descriptor is registered for. Shared by the recorder (runtime side),
// the aggregator and the screen, so every layer names things the same way.

/// A task's identity: Swift's own task id (the number `UnownedJob.description` prints).
public struct TaskID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var raw: UInt64
    @inlinable public init(_ raw: UInt64) { self.raw = raw }
    public static func < (a: TaskID, b: TaskID) -> Bool { a.raw < b.raw }
    public var description: String { "t\(raw)" }
    /// Jobs that belong to no task (e.g. half of a `Task.yield()`). Computed, so a reader's
    /// comparison with it is one instruction, not a call to a global's accessor.
    @inlinable public static var none: TaskID { TaskID(0) }
}

/// Read/write interest registered with epoll, or readiness reported by it.
public struct Interest: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    // Computed, as TaskID.none: a test against them compiles to a mask, not calls to globals' accessors.
    @inlinable public static var read: Interest { Interest(rawValue: 1) }
    @inlinable public static var write: Interest { Interest(rawValue: 2) }
    /// Hang-up or error reported by the kernel (readiness only).
    @inlinable public static var hangup: Interest { Interest(rawValue: 4) }
    public var description: String {
        var s = ""
        if contains(.read) { s += "R" }
        if contains(.write) { s += "W" }
        if contains(.hangup) { s += "H" }
        return s.isEmpty ? "-" : s
    }
    /// "read", "write", "read+write".
    public var word: String {
        switch (contains(.read), contains(.write)) {
        case (true, true): return "read+write"
        case (true, false): return "read"
        case (false, true): return "write"
        default: return contains(.hangup) ? "hangup" : "none"
        }
    }
}

/// What a parked task waits on.
public enum ParkReason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Waiting for the kernel to report `interest` on `fd` (epoll).
    case io(fd: Int32, interest: Interest)
    /// Sleeping on the runtime's timer heap until `deadline` (monotonic ns).
    case timer(deadline: UInt64)
    /// Waiting for an async mutex.
    case mutex(id: UInt32)
    /// Waiting on a channel: to receive, or for room to send.
    case channel(id: UInt32, sending: Bool)
    /// Waiting for another task to finish (`JoinHandle.value`; for a task runviz did not start,
    /// `Task.value` or an `async let`).
    case join(TaskID)
    /// Waiting for a job on the blocking pool.
    case blockingPool
    /// Suspended in `withCheckedContinuation` / `withUnsafeContinuation` (and all built on them:
    /// a NIO future's `get()`, an AsyncStream), until someone resumes it.
    case continuation
    /// Awaiting the next child of its task group.
    case taskGroup
    /// Queued behind an actor (the main actor among them): `name` is the actor's class name,
    /// interned in the hub's NameTable.
    case actor(name: UInt32)
    /// Suspended on something the runtime does not own and cannot read.
    case other

    public var kind: ParkKind {
        switch self {
        case .io: return .io
        case .timer: return .timer
        case .mutex: return .mutex
        case .channel: return .channel
        case .join: return .join
        case .blockingPool: return .blockingPool
        case .continuation: return .continuation
        case .taskGroup: return .taskGroup
        case .actor: return .actor
        case .other: return .other
        }
    }

    public var description: String { description(names: []) }

    /// As `description`, with an actor named from the interned names (`NameTable.all()`).
    public func description(names: [String]) -> String {
        switch self {
        case .io(let fd, let interest): return "fd \(fd) \(interest.word)"
        case .timer: return "timer"
        case .mutex(let id): return "mutex #\(id)"
        case .channel(let id, let sending): return sending ? "channel #\(id) send" : "channel #\(id) recv"
        case .join(let task): return "join \(task)"
        case .blockingPool: return "blocking pool"
        case .continuation: return "continuation"
        case .taskGroup: return "task group"
        case .actor(let name): return Int(name) < names.count && name != 0 ? "actor \(names[Int(name)])" : "actor"
        case .other: return "other"
        }
    }
}

/// The category of a park, for counting.
/// The raw value is a `parked` event's `detail` (recorded): the kinds added later take the next
/// numbers, so an older reader reads them as `other`; `allCases` keeps `other` last.
public enum ParkKind: UInt8, CaseIterable, Hashable, Sendable, Codable {
    case io = 0, timer = 1, mutex = 2, channel = 3, join = 4, blockingPool = 5
    case continuation = 7, taskGroup = 8, actor = 9
    case other = 6
    public var word: String {
        switch self {
        case .io: return "io"
        case .timer: return "timer"
        case .mutex: return "mutex"
        case .channel: return "channel"
        case .join: return "join"
        case .blockingPool: return "blocking"
        case .continuation: return "continuation"
        case .taskGroup: return "group"
        case .actor: return "actor"
        case .other: return "other"
        }
    }
}

/// Why a task's job entered a run queue: the "waker" of the primer.
public enum WakeSource: UInt8, CaseIterable, Hashable, Sendable, Codable {
    /// First job of a newly spawned task.
    case spawn
    /// The kernel reported readiness on an fd (epoll_wait → waker).
    case io
    /// A timer on the runtime's heap expired.
    case timer
    /// Another task woke it (mutex unlock, channel send/recv, join completion).
    case task
    /// The task yielded (`yieldNow`).
    case yield
    /// A blocking-pool job finished.
    case blockingPool
    /// Anything else (a continuation resumed by foreign code).
    case other

    public var word: String {
        switch self {
        case .spawn: return "spawn"
        case .io: return "io"
        case .timer: return "timer"
        case .task: return "task"
        case .yield: return "yield"
        case .blockingPool: return "blocking"
        case .other: return "other"
        }
    }

    /// The task whose job woke `task` by a wake of this source with `argument`: a `.task` wake's
    /// waker, or the task that was running when a wake of no named cause came (a child's end
    /// resuming its parent, a continuation resumed inside a job); never `task` itself (a hop of its
    /// own) nor a thread of no task (ForeignThread).
    public func wakingTask(argument: UInt64, of task: TaskID) -> TaskID? {
        switch self {
        case .task: return argument != 0 ? TaskID(argument) : nil
        case .other:
            guard argument != 0, argument != task.raw, ForeignThread.nameID(in: argument) == nil else { return nil }
            return TaskID(argument)
        default: return nil
        }
    }
}

/// A thread that is no task's, waking one: the argument of an `.other` wake holds, with `flag` set,
/// the interned name (NameTable) of the thread that enqueued the task — a NIO event loop, a Dispatch
/// queue's thread, a C library's — as the kernel names it (/proc/thread-self/comm). Without the
/// flag the argument is the task whose job was running (0: none known). Task ids stay below 2^63.
public enum ForeignThread {
    public static let flag: UInt64 = 1 << 63

    @inlinable
    public static func argument(nameID: UInt32) -> UInt64 { flag | UInt64(nameID) }

    /// The thread's interned name in an `.other` wake's argument, if it is a thread's.
    @inlinable
    public static func nameID(in argument: UInt64) -> UInt32? {
        argument & flag == 0 ? nil : UInt32(truncatingIfNeeded: argument)
    }
}

/// A job of no task that runs for an actor (a default actor's job, which runs the tasks queued on
/// it one after another): a worker's published running task holds, with `flag` set, the interned
/// name (NameTable) of the actor's class instead of a task id. Task ids stay below 2^63.
public enum ActorJob {
    public static let flag: UInt64 = 1 << 63

    @inlinable
    public static func running(nameID: UInt32) -> UInt64 { flag | UInt64(nameID) }

    /// The actor's interned class name in a worker's running task, if the job is an actor's.
    @inlinable
    public static func nameID(in runningTask: UInt64) -> UInt32? {
        runningTask & flag == 0 ? nil : UInt32(truncatingIfNeeded: runningTask)
    }
}

/// The state of a worker thread as the runtime publishes it (one relaxed atomic per worker).
public enum WorkerActivity: UInt8, Sendable, Codable {
    /// Looking for work (local queue, inject queue, stealing).
    case searching = 0
    /// Running a job of a task.
    case running = 1
    /// Asleep, waiting to be unparked.
    case parked = 2
    /// Asleep inside epoll_wait: this worker holds the I/O driver.
    case parkedInDriver = 3
    /// Blocked waiting for a plain (blocking) lock inside a job.
    case blockedOnLock = 4
    /// Stopped (shutdown).
    case stopped = 5
}
