// The aggregator's running model of one task: its current state and counters, plus the park it
// announced during the current run and the wake that queued it, which are resolved when the run
// ends and the next run starts. Kept small: one exists per live task.

import RunvizTelemetry

struct TaskRecord: Equatable {
    // Eight-byte fields first, then the optionals, then the small ones: Swift lays fields out in
    // declaration order, and this order wastes the least padding (10,000 of these at 10k connections:
    // 156 bytes each, a stride of 160; `awaiter` added 8).
    var id: UInt64
    var parent: UInt64 = 0
    var since: UInt64
    var spawnedAt: UInt64
    var polls: UInt64 = 0
    var wakes: UInt64 = 0
    var busyNanos: UInt64 = 0
    var longestPollNanos: UInt64 = 0
    var runStarted: UInt64 = 0
    var lastEvent: UInt64
    /// The task awaiting its JoinHandle, when `handleFate` is `.awaited` (0 there: a `blockOn` thread).
    var awaiter: UInt64 = 0
    /// `lastLatency` when `hasLatency` (an optional UInt64 would take 16 bytes).
    private var lastLatencyNanos: UInt64 = 0
    /// The wake that put the task in a queue, resolved at its next run.
    var pendingWake: PendingWake?
    var state: TaskSnapshot.State
    /// What it is parked on, while it is.
    var parkReason: ParkReason? {
        if case .parked(let reason) = state { return reason }
        return nil
    }
    /// Announced by a `parked` event during the current run.
    var pendingPark: ParkReason?
    /// `lastWorker`, −1 for none (an optional Int would take 16 bytes).
    private var lastWorkerIndex: Int16 = -1
    var nameID: UInt32 = 0
    var named = false
    /// Sighted at its first run as a child task (an `async let`, a group's): named by its code or
    /// kind, and still its parent's child.
    var sightedChild = false
    var handleFate = HandleFate.unknown
    /// Counted in `TaskModel.queued`: scheduled and not yet started (or ended).
    var inReadyQueue = false
    private var hasLatency = false

    /// A task first seen at `time`, before (or without) its spawn event.
    init(id: UInt64, at time: UInt64) {
        self.id = id
        self.state = .notYetPolled
        self.since = time
        self.spawnedAt = time
        self.lastEvent = time
    }

    /// Enqueue → run of its last run (nil: it never ran after a wake the events showed).
    var lastLatency: UInt64? {
        get { hasLatency ? lastLatencyNanos : nil }
        set {
            hasLatency = newValue != nil
            lastLatencyNanos = newValue ?? 0
        }
    }

    /// The worker its last run was on (nil: it never ran).
    var lastWorker: Int? {
        get { lastWorkerIndex < 0 ? nil : Int(lastWorkerIndex) }
        set { lastWorkerIndex = newValue.map { Int16(clamping: $0) } ?? -1 }
    }

    /// What the events told of its JoinHandle, in one byte (`awaiter` says by whom it was awaited).
    enum HandleFate: UInt8 { case unknown, awaited, dropped }

    /// A task with no `spawned` event, or sighted as a child, got no handle from the runtime, unless
    /// events about one came.
    var handle: JoinHandleState {
        switch handleFate {
        case .unknown: return named && !sightedChild ? .held : .noHandle
        case .awaited: return .awaited(by: TaskID(awaiter))
        case .dropped: return .dropped
        }
    }

    /// Its interned name, if it was spawned with one (nil: unnamed, e.g. an `async let` child).
    var name: UInt32? { named ? nameID : nil }

    /// Its name for the screen: the spawn name, or where it came from.
    func displayName(_ names: [String]) -> String {
        if named, Int(nameID) < names.count { return names[Int(nameID)] }
        return parent != 0 ? "child of t\(parent)" : "task"
    }

    /// An `async let` or task-group child: sighted as one, or unnamed and first seen created inside
    /// its parent's job.
    var isChild: Bool { parent != 0 && (!named || sightedChild) }

    var isFinished: Bool {
        switch state {
        case .completed, .cancelled: return true
        default: return false
        }
    }
}
