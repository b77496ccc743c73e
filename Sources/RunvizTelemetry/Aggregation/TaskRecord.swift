// The aggregator's running model of one task: its current state and counters, plus the park it
// announced during the current run and the wake that queued it, which are resolved when the run
// ends and the next run starts. Kept small: one exists per live task.

struct TaskRecord {
    var id: UInt64
    var nameID: UInt32
    var named: Bool
    var parent: UInt64
    var state: TaskSnapshot.State
    var since: UInt64
    var spawnedAt: UInt64
    var polls: UInt64 = 0
    var wakes: UInt64 = 0
    var busyNanos: UInt64 = 0
    var longestPollNanos: UInt64 = 0
    var lastLatency: UInt64?
    var lastWorker: Int?
    var awaited = false
    var runStarted: UInt64 = 0
    var lastEvent: UInt64
    /// Announced by a `parked` event during the current run.
    var pendingPark: ParkReason?
    /// The wake that put the task in a queue, resolved at its next run.
    var pendingWake: PendingWake?
}

struct PendingWake {
    var source: WakeSource
    var argument: UInt64
    var ahead: Int
    var queue: UInt8
    var at: UInt64
}

struct FDRecord {
    var fd: Int32
    var interest: Interest
    var owner: UInt64
    var timesReady: UInt64 = 0
    var lastReady: UInt64?
    var lastReadiness: Interest = []
}
