// The aggregator's model of one fd registered with the reactor: the interest tasks left on it
// (parking on it), the task that owns it, when the kernel last reported it ready, and the reply in
// flight on it: kept in the fd's own record, since a reply lives from a readiness to the next write
// on the same fd, and a table of its own would take an insert and a removal per round trip.

import RunvizTelemetry

struct FDRecord: Equatable {
    var fd: Int32
    var interest: Interest
    var owner: UInt64
    var timesReady: UInt64 = 0
    var lastReady: UInt64?
    var lastReadiness: Interest = []
    /// The oldest readiness no write has answered yet (nil: none).
    var reply: ReplyInFlight?
}

/// A readiness to read (or a hang-up) the kernel reported on an fd that no write has answered yet,
/// and the steps of the task it woke seen since: ReplyModel times the reply whole, LatencyBreakdown
/// splits it into its parts.
struct ReplyInFlight: Equatable {
    var readyAt: UInt64
    /// The task the readiness woke (0: none yet).
    var task: UInt64
    var wakeAt: UInt64?
    var runAt: UInt64?
}
