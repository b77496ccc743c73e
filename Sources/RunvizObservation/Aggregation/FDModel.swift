// The epoll interest list as the events describe it: an fd exists from `fdRegistered` to
// `fdDeregistered`; a task parking on it leaves read or write interest (its waker) with the reactor;
// readiness that wakes a task consumes the interest it satisfied (the reactor is edge-triggered and
// wakes each waiter once). Readiness on an fd the model does not know changes nothing.
//
// Each fd's record also holds its reply in flight (FDRecord): the first readiness to read (or
// hang-up) since the fd was last written starts it; the wake and the run of the task it woke are
// noted on it; the next write takes it (a reply); parking to read again, or closing, forgets it.
// Only the oldest unanswered readiness is kept, so with several messages in flight on one
// connection only the first is timed.

import RunvizTelemetry

struct FDModel: Equatable {
    private(set) var records = IDTable<FDRecord>()
    /// Records with a reply in flight: the scan for the oldest is skipped when there is none.
    private(set) var repliesAwaiting = 0

    /// The table key of an fd (any Int32, as a recording may hold).
    @inline(__always)
    static func key(_ fd: Int32) -> UInt64 { UInt64(UInt32(bitPattern: fd)) }

    var count: Int { records.count }

    func contains(_ fd: Int32) -> Bool { records.contains(Self.key(fd)) }

    /// What the kernel last reported for `fd` (empty: unknown fd or never ready).
    func readiness(of fd: Int32) -> Interest { records[Self.key(fd)]?.lastReadiness ?? [] }

    /// A second registration of a known fd keeps its reply in flight.
    mutating func registered(_ fd: Int32, owner: UInt64) {
        let key = Self.key(fd)
        var record = FDRecord(fd: fd, interest: [], owner: owner)
        record.reply = records[key]?.reply
        records[key] = record
    }

    /// The fd is gone, and with it what waited for a reply on it.
    mutating func deregistered(_ fd: Int32) {
        if records.removeValue(forKey: Self.key(fd))?.hasReply == true { repliesAwaiting -= 1 }
    }

    /// A task parked on `fd` for `interest`: the reactor now holds its waker. Parking to read again
    /// consumes the readiness: it needed no reply.
    @inline(__always)
    mutating func interestLeft(on fd: Int32, _ interest: Interest, by owner: UInt64) {
        let forgot = records.modify(Self.key(fd)) { r -> Bool in
            r.interest.formUnion(interest)
            r.owner = owner
            guard interest.contains(.read), r.hasReply else { return false }
            r.reply = nil
            return true
        }
        if forgot == true { repliesAwaiting -= 1 }
    }

    /// The kernel reported `readiness` on `fd` at `time`, waking `task` (0: no waiter). False when
    /// the fd is not known.
    @discardableResult
    @inline(__always)
    mutating func ready(_ fd: Int32, _ readiness: Interest, waking task: UInt64, at time: UInt64) -> Bool {
        let started = records.modify(Self.key(fd)) { r -> Bool in
            r.timesReady &+= 1
            r.lastReady = time
            r.lastReadiness = readiness
            let readable = readiness.contains(.read) || readiness.contains(.hangup)
            let started = readable && r.replyReady(at: time, waking: task)
            guard task != 0 else { return started }
            if readable { r.interest.remove(.read) }
            if readiness.contains(.write) || readiness.contains(.hangup) { r.interest.remove(.write) }
            return started
        }
        if started == true { repliesAwaiting += 1 }
        return started != nil
    }

    /// `task` was queued at `time` by readiness on the fd keyed `key` (an io wake's argument): the
    /// wake of that fd's reply, if the readiness woke this task.
    @inline(__always)
    mutating func replyWoken(_ key: UInt64, task: UInt64, at time: UInt64) {
        records.modify(key) { r in r.replyWoken(task, at: time) }
    }

    /// A run of `task` woken by readiness on the fd keyed `key` started at `time`: the run of that
    /// fd's reply, if it was this task's wake. Returns what the kernel last reported for the fd
    /// (empty: unknown fd), for the wakeup chain.
    @inline(__always)
    mutating func replyRuns(_ key: UInt64, task: UInt64, at time: UInt64) -> Interest {
        records.modify(key) { r -> Interest in
            r.replyRuns(task, at: time)
            return r.lastReadiness
        } ?? []
    }

    /// The task on `fd` wrote: the reply in flight it answers, if readiness came before it.
    @inline(__always)
    mutating func replied(_ fd: Int32) -> ReplyInFlight? {
        let reply =
            records.modify(Self.key(fd)) { r -> ReplyInFlight? in
                guard r.hasReply else { return nil }
                defer { r.reply = nil }
                return r.reply
            } ?? nil
        if reply != nil { repliesAwaiting -= 1 }
        return reply
    }

    /// Replies in flight, and when the oldest of them became ready (nil: none).
    func repliesInFlight() -> (count: Int, oldestReadyAt: UInt64?) {
        guard repliesAwaiting > 0 else { return (0, nil) }
        var count = 0
        var oldest: UInt64?
        for (_, r) in records {
            guard let reply = r.reply else { continue }
            count += 1
            oldest = min(oldest ?? reply.readyAt, reply.readyAt)
        }
        return (count, oldest)
    }

    /// Gives back the table slots a burst of connections left behind.
    mutating func shrinkIfSparse() { records.shrinkIfSparse() }

    /// The interest list ordered by fd, each owner named by `ownerName`.
    func list(ownerName: (UInt64) -> String) -> [FDSnapshot] {
        records.allValues.sorted { $0.fd < $1.fd }.map { f in
            FDSnapshot(
                fd: f.fd, interest: f.interest, owner: TaskID(f.owner), ownerName: ownerName(f.owner),
                timesReady: f.timesReady, lastReady: f.lastReady, lastReadiness: f.lastReadiness)
        }
    }
}
