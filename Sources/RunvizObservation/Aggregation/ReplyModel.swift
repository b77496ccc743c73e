// What a client of a server feels, from events: for each fd, the first time the kernel reported it
// readable (or hung up) since the task last wrote to it, and on the next write the time between —
// reactor, queue wait and run, everything the runtime added. Replies are counted per one-second
// window (the sampler's), so a stall reads as no replies and a growing wait, not as old numbers.
//
// Readiness that is consumed without a reply (the task parks on the fd for reading again, or the
// fd is closed) is forgotten. A reply is measured from the oldest unanswered readiness, so with
// several messages in flight on one connection only the first is timed.

import RunvizTelemetry

struct ReplyModel: Equatable {
    /// fd → when its readiness was first reported and not yet answered.
    private(set) var awaitingSince = IDTable<UInt64>()
    private var current = LogHistogram()
    private(set) var lastWindow = LogHistogram()

    /// The kernel reported `readiness` on `fd` at `time`.
    mutating func ready(_ fd: Int32, _ readiness: Interest, at time: UInt64) {
        guard readiness.contains(.read) || readiness.contains(.hangup), !awaitingSince.contains(FDModel.key(fd))
        else { return }
        awaitingSince[FDModel.key(fd)] = time
    }

    /// The task on `fd` wrote at `time`: a reply, timed when readiness came before it.
    mutating func wrote(_ fd: Int32, at time: UInt64) {
        guard let since = awaitingSince.removeValue(forKey: FDModel.key(fd)) else { return }
        current.record(time >= since ? time - since : 0)
    }

    /// The task parks on `fd` to read again, or `fd` is gone: its readiness needed no reply.
    mutating func forget(_ fd: Int32) { awaitingSince.removeValue(forKey: FDModel.key(fd)) }

    /// Closes the current window (the sampler's once-a-second tick), and gives back the table
    /// slots a burst of replies in flight left behind.
    mutating func closeWindow() {
        lastWindow = current
        current = LogHistogram()
        awaitingSince.shrinkIfSparse()
    }

    /// The last full window's replies, and what waits for a reply at `now`.
    func summary(now: UInt64) -> ReplyLatency {
        let oldest = awaitingSince.lazy.map(\.value).min().map { now > $0 ? now - $0 : 0 } ?? 0
        return ReplyLatency(
            replies: lastWindow.total, p50Nanos: lastWindow.value(at: 50), p99Nanos: lastWindow.value(at: 99),
            maxNanos: lastWindow.total > 0 ? lastWindow.maximum : nil, awaiting: awaitingSince.count,
            oldestAwaitingNanos: oldest)
    }
}
