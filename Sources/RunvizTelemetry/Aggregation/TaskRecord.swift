// The aggregator's running model of one task: its current state and counters, plus the park it
// announced during the current run and the wake that queued it, which are resolved when the run
// ends and the next run starts. Kept small: one exists per live task.

struct TaskRecord {
    // Eight-byte fields first, then the optionals, then the small ones: Swift lays fields out in
    // declaration order, and this order wastes the least padding (10,000 of these at 10k connections).
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
    /// The wake that put the task in a queue, resolved at its next run.
    var pendingWake: PendingWake?
    var lastLatency: UInt64?
    var state: TaskSnapshot.State
    /// Announced by a `parked` event during the current run.
    var pendingPark: ParkReason?
    var lastWorker: Int?
    var nameID: UInt32 = 0
    var named = false
    var awaited = false

    init(
        id: UInt64, nameID: UInt32, named: Bool, parent: UInt64, state: TaskSnapshot.State, since: UInt64,
        spawnedAt: UInt64, lastEvent: UInt64
    ) {
        self.id = id
        self.nameID = nameID
        self.named = named
        self.parent = parent
        self.state = state
        self.since = since
        self.spawnedAt = spawnedAt
        self.lastEvent = lastEvent
    }
}

struct PendingWake {
    var argument: UInt64
    var at: UInt64
    var aheadCount: UInt32
    var source: WakeSource
    var queue: UInt8

    init(source: WakeSource, argument: UInt64, ahead: Int, queue: UInt8, at: UInt64) {
        self.argument = argument
        self.at = at
        self.aheadCount = UInt32(clamping: ahead)
        self.source = source
        self.queue = queue
    }

    var ahead: Int { Int(aheadCount) }
}

struct FDRecord {
    var fd: Int32
    var interest: Interest
    var owner: UInt64
    var timesReady: UInt64 = 0
    var lastReady: UInt64?
    var lastReadiness: Interest = []
}
