// What a client of a server feels, from events: for each fd, the first time the kernel reported it
// readable (or hung up) since the task last wrote to it, and on the next write the time between —
// reactor, queue wait and run, everything the runtime added. Replies are counted per one-second
// window (the sampler's), so a stall reads as no replies and a growing wait, not as old numbers.
//
// The replies in flight live in the fd model's records (FDModel: readiness starts one, parking to
// read again or closing forgets it, the next write takes it); this model keeps the windows of
// replies taken. A reply is measured from the oldest unanswered readiness, so with several
// messages in flight on one connection only the first is timed.

import RunvizTelemetry

struct ReplyModel: Equatable {
    private var current = LogHistogram()
    private(set) var lastWindow = LogHistogram()

    /// A write at `time` answered `reply`.
    @inline(__always)
    mutating func replied(_ reply: ReplyInFlight, at time: UInt64) {
        current.record(time >= reply.readyAt ? time - reply.readyAt : 0)
    }

    /// Closes the current window (the sampler's once-a-second tick).
    mutating func closeWindow() {
        lastWindow = current
        current = LogHistogram()
    }

    /// The last full window's replies, and what waits for a reply at `now` (`inFlight`: the fd
    /// model's replies in flight).
    func summary(now: UInt64, inFlight: (count: Int, oldestReadyAt: UInt64?)) -> ReplyLatency {
        let oldest = inFlight.oldestReadyAt.map { now > $0 ? now - $0 : 0 } ?? 0
        return ReplyLatency(
            replies: lastWindow.total, p50Nanos: lastWindow.value(at: 50), p99Nanos: lastWindow.value(at: 99),
            maxNanos: lastWindow.total > 0 ? lastWindow.maximum : nil, awaiting: inFlight.count,
            oldestAwaitingNanos: oldest)
    }
}
