// What one more connection costs this process (lesson 01's figures, live): the process's resident
// and virtual growth across a *connection step*, divided by the connections the step added. A step
// starts at the sample just before connections of one kind begin to arrive and ends at the first
// sample after they stopped; it counts only if at least `minimumStep` arrived, none of the other
// kind arrived and none closed, within `maximumStepNanos`. Between steps nothing is charged to
// connections, so whatever else grows while they stay open (the rewind history filling, a
// recording's buffers, the observer's copies of its models) never moves a figure: it changes only
// at the next step. What else grows *during* a step is charged to it; that is why a step must be
// short (runviz load's clients all connect within a frame or two) and large (100 connections
// dilute it a hundredfold).
//
// A step counts only when it starts at the most connections of its kind ever open: below that, the
// allocator hands back memory that closed connections left (malloc keeps freed pages, glibc keeps
// freed thread stacks), so the process would not grow by what the connections use. A thread's
// virtual figure is its 8 MiB stack reserve (`ulimit -s`) plus its share of glibc's per-thread
// malloc arenas (64 MiB reserved each, at most 8 per core), so it reads above 8 MiB for a few
// hundred threads and falls towards 8 MiB with more.
//
// One definition for the screen, `runviz serve`'s line and Scripts/bench-idle-memory.sh, which
// takes the same difference from /proc/PID/status around the arrival of idle connections.

public struct ConnectionCostProbe: Sendable, Equatable {
    /// The fewest connections a step must add.
    public static let minimumStep = 100
    /// The longest a step may take, from the sample before it to the sample after it: two of
    /// `runviz serve`'s one-second turns and slack; a dashboard samples ten times a second.
    public static let maximumStepNanos: UInt64 = 3_000_000_000

    public struct Point: Sendable, Equatable {
        public var tasks: Int
        public var threads: Int
        public var resident: UInt64
        public var virtual: UInt64
        /// Monotonic ns of the reading.
        public var at: UInt64
        public init(tasks: Int, threads: Int, resident: UInt64, virtual: UInt64, at: UInt64) {
            self.tasks = tasks
            self.threads = threads
            self.resident = resident
            self.virtual = virtual
            self.at = at
        }
    }

    private enum Kind: Sendable, Equatable {
        case task, thread

        func count(_ p: Point) -> Int { self == .task ? p.tasks : p.threads }
    }

    private struct Step: Sendable, Equatable {
        var kind: Kind
        /// The last sample before the step's connections arrived.
        var from: Point
    }

    private var last: Point?
    private var step: Step?
    /// The most connections of each kind open at any sample so far.
    private var mostTasks = 0
    private var mostThreads = 0
    public private(set) var perTask: ConnectionCost?
    public private(set) var perThread: ConnectionCost?

    public init() {}

    public mutating func sample(_ now: Point) {
        defer {
            last = now
            mostTasks = max(mostTasks, now.tasks)
            mostThreads = max(mostThreads, now.threads)
        }
        guard let last else { return }
        let arriving = Self.arriving(from: last, to: now)
        if let current = step {
            let inTime = now.at &- current.from.at <= Self.maximumStepNanos
            if arriving == current.kind && inTime { return }
            step = nil
            if inTime && now.tasks == last.tasks && now.threads == last.threads { finish(current, at: now) }
        }
        if let arriving, arriving.count(last) >= (arriving == .task ? mostTasks : mostThreads) {
            step = Step(kind: arriving, from: last)
        }
    }

    /// The kind of connection that alone grew from `a` to `b` (nil: none did, both did, or one closed).
    private static func arriving(from a: Point, to b: Point) -> Kind? {
        switch (b.tasks - a.tasks, b.threads - a.threads) {
        case (1..., 0): .task
        case (0, 1...): .thread
        default: nil
        }
    }

    private mutating func finish(_ step: Step, at end: Point) {
        let count = step.kind.count(end) - step.kind.count(step.from)
        guard count >= Self.minimumStep else { return }
        let cost = ConnectionCost(
            residentBytes: max(0, Double(end.resident) - Double(step.from.resident)) / Double(count),
            virtualBytes: max(0, Double(end.virtual) - Double(step.from.virtual)) / Double(count), connections: count)
        switch step.kind {
        case .task: perTask = cost
        case .thread: perThread = cost
        }
    }
}
