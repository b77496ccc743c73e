// The aggregator's model of one fd registered with the reactor: the interest tasks left on it
// (parking on it), the task that owns it, when the kernel last reported it ready, and the reply in
// flight on it: kept in the fd's own record, since a reply lives from a readiness to the next write
// on the same fd, and a table of its own would take an insert and a removal per round trip.
//
// One exists per open connection, so it is laid out small: the eight-byte fields first, then the
// small ones (Swift lays fields out in declaration order), optionals kept as a value and a flag bit
// (an optional UInt64 takes 16 bytes in a record): 64 bytes, where an optional reply would make it
// 88. A field whose flag is clear is 0, so equal records are equal field by field.

import RunvizTelemetry

struct FDRecord: Equatable {
    var owner: UInt64
    var timesReady: UInt64 = 0
    private var lastReadyNanos: UInt64 = 0
    private var replyReadyAt: UInt64 = 0
    private var replyTask: UInt64 = 0
    private var replyWakeAt: UInt64 = 0
    private var replyRunAt: UInt64 = 0
    var fd: Int32
    var interest: Interest
    var lastReadiness: Interest = []
    private var flags: Flags = []

    private struct Flags: OptionSet, Equatable {
        let rawValue: UInt8
        static let lastReady = Flags(rawValue: 1)
        static let reply = Flags(rawValue: 2)
        static let replyWake = Flags(rawValue: 4)
        static let replyRun = Flags(rawValue: 8)
    }

    init(fd: Int32, interest: Interest, owner: UInt64) {
        self.fd = fd
        self.interest = interest
        self.owner = owner
    }

    /// When the kernel last reported it ready (nil: never).
    var lastReady: UInt64? {
        get { flags.contains(.lastReady) ? lastReadyNanos : nil }
        set {
            lastReadyNanos = newValue ?? 0
            if newValue != nil { flags.insert(.lastReady) } else { flags.remove(.lastReady) }
        }
    }

    /// The oldest readiness no write has answered yet (nil: none).
    var reply: ReplyInFlight? {
        @inline(__always)
        get {
            guard flags.contains(.reply) else { return nil }
            return ReplyInFlight(
                readyAt: replyReadyAt, task: replyTask, wakeAt: flags.contains(.replyWake) ? replyWakeAt : nil,
                runAt: flags.contains(.replyRun) ? replyRunAt : nil)
        }
        @inline(__always)
        set {
            flags.subtract([.reply, .replyWake, .replyRun])
            replyReadyAt = newValue?.readyAt ?? 0
            replyTask = newValue?.task ?? 0
            replyWakeAt = newValue?.wakeAt ?? 0
            replyRunAt = newValue?.runAt ?? 0
            guard let newValue else { return }
            flags.insert(.reply)
            if newValue.wakeAt != nil { flags.insert(.replyWake) }
            if newValue.runAt != nil { flags.insert(.replyRun) }
        }
    }

    // The steps of a reply in flight, in place (what `reply`'s setter would do, without rebuilding it).

    /// A reply is in flight (`reply` is not nil), read without building it.
    var hasReply: Bool { flags.contains(.reply) }

    /// A readiness to read at `time` that woke `task` (0: none): starts a reply if none is in flight
    /// (true), else names the task of one that had none.
    @inline(__always)
    mutating func replyReady(at time: UInt64, waking task: UInt64) -> Bool {
        if !flags.contains(.reply) {
            replyReadyAt = time
            replyTask = task
            flags.insert(.reply)
            return true
        }
        if replyTask == 0 { replyTask = task }
        return false
    }

    /// `task` was queued at `time` by this fd's readiness: the reply's wake, if it woke that task.
    @inline(__always)
    mutating func replyWoken(_ task: UInt64, at time: UInt64) {
        guard flags.contains(.reply), !flags.contains(.replyWake), replyTask == task else { return }
        replyWakeAt = time
        flags.insert(.replyWake)
    }

    /// A run of `task` that this fd's readiness woke started at `time`: the reply's run.
    @inline(__always)
    mutating func replyRuns(_ task: UInt64, at time: UInt64) {
        guard flags.contains([.reply, .replyWake]), !flags.contains(.replyRun), replyTask == task else { return }
        replyRunAt = time
        flags.insert(.replyRun)
    }
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
