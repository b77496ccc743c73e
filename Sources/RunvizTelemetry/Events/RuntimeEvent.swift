// One state change of the runtime, recorded on the hot path: a 32-byte value with no references,
// so recording is a store into a ring slot, never an allocation. Field meaning depends on `kind`
// (see each case); `fact` (Fact.swift) is the one place that interprets them, and readers switch
// on the typed Fact it gives.

public struct RuntimeEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// task spawned: `task`, `arg` = parent task (0: none), `extra` = interned name.
        case spawned
        /// task entered a run queue: `task`, `detail` = WakeSource, `arg` = source argument (fd or waking task;
        /// for `.other`, the task whose job was running when it was scheduled, 0 for none),
        /// `worker` = queue (worker index, or `RuntimeEvent.injectQueue`), `extra` = jobs ahead of it on arrival.
        case scheduled
        /// a job of `task` started on `worker`.
        case runStarted
        /// the job of `task` on `worker` returned.
        case runFinished
        /// `task` is about to suspend: `detail` = ParkKind, `arg`/`extra` = reason payload (see ParkReason coding).
        /// Parking on `.io(fd, interest)` is also how the task leaves its waker (interest) with the reactor.
        case parked
        /// `task` returned from its body.
        case completed
        /// `task` ended by cancellation.
        case cancelled
        /// fd `arg` registered for interest `detail` by `task`.
        case fdRegistered
        /// the kernel reported fd `arg` ready with readiness `detail`; `task` is the waiter it wakes (0: none).
        case fdReady
        /// fd `arg` removed from epoll.
        case fdDeregistered
        /// `worker` went to sleep: `detail` = 1 when parked inside epoll_wait.
        case workerParked
        /// `worker` woke up.
        case workerUnparked
        /// the watchdog saw `worker` run one job of `task` for longer than the threshold; `arg` = job start time.
        case workerBlocked
        /// `worker` stole `extra` jobs from worker `arg`.
        case stole
        /// a blocking-pool job started on pool thread `extra` for `task` (the submitter); `arg` = job number.
        case blockingStarted
        /// that blocking-pool job finished.
        case blockingFinished
        /// a timer of `task` with deadline `arg` expired.
        case timerFired
        /// `task` wrote `extra` bytes to the stream on fd `arg` (a reply, for a server).
        case wrote
        /// `task`'s JoinHandle is awaited by task `arg` (0: by a thread blocked in `blockOn`).
        case handleAwaited
        /// `task`'s JoinHandle was dropped before anyone awaited it: nobody will see its result.
        case handleDropped
    }

    /// Monotonic nanoseconds.
    public var time: UInt64
    public var task: UInt64
    public var arg: UInt64
    public var kind: Kind
    public var worker: UInt8
    public var detail: UInt16
    public var extra: UInt32

    public static let injectQueue: UInt8 = 255
    public static let noWorker: UInt8 = 254
    /// A `spawned` event's detail for a task sighted at its first run (one runviz did not start,
    /// reached through Swift's global executor): the task was running when it was recorded, so with
    /// nothing after it (a late viewer's catch-up) it is suspended on something, not waiting to start.
    /// A sighted task with a parent is a child task (an `async let`, a task group's): a `Task {}`
    /// has none.
    public static let sightedAtRun: UInt16 = 1
    /// A `spawned` event's detail for a task `Runtime.spawn` started while events were off, named
    /// by its first park or end with events on: recorded from inside a run of the task, at no time
    /// of its spawn; its spawn's time and its parent are not known.
    public static let announcedLate: UInt16 = 2

    @inlinable
    public init(
        time: UInt64, kind: Kind, task: UInt64 = 0, worker: UInt8 = RuntimeEvent.noWorker,
        detail: UInt16 = 0, arg: UInt64 = 0, extra: UInt32 = 0
    ) {
        self.time = time
        self.task = task
        self.arg = arg
        self.kind = kind
        self.worker = worker
        self.detail = detail
        self.extra = extra
    }
}

extension ParkReason {
    /// Packs a reason into a `parked` event's `detail`, `arg` and `extra`.
    public var encoded: (detail: UInt16, arg: UInt64, extra: UInt32) {
        switch self {
        case .io(let fd, let interest):
            return (UInt16(ParkKind.io.rawValue), UInt64(UInt32(bitPattern: fd)), UInt32(interest.rawValue))
        case .timer(let deadline): return (UInt16(ParkKind.timer.rawValue), deadline, 0)
        case .mutex(let id): return (UInt16(ParkKind.mutex.rawValue), UInt64(id), 0)
        case .channel(let id, let sending): return (UInt16(ParkKind.channel.rawValue), UInt64(id), sending ? 1 : 0)
        case .join(let task): return (UInt16(ParkKind.join.rawValue), task.raw, 0)
        case .blockingPool: return (UInt16(ParkKind.blockingPool.rawValue), 0, 0)
        case .continuation: return (UInt16(ParkKind.continuation.rawValue), 0, 0)
        case .taskGroup: return (UInt16(ParkKind.taskGroup.rawValue), 0, 0)
        case .actor(let name): return (UInt16(ParkKind.actor.rawValue), UInt64(name), 0)
        case .other: return (UInt16(ParkKind.other.rawValue), 0, 0)
        }
    }

    /// Inverse of `encoded`. Inlinable, as RuntimeEvent.fact is.
    @inlinable
    public init(detail: UInt16, arg: UInt64, extra: UInt32) {
        switch ParkKind(rawValue: UInt8(truncatingIfNeeded: detail)) ?? .other {
        case .io:
            self = .io(
                fd: Int32(bitPattern: UInt32(truncatingIfNeeded: arg)),
                interest: Interest(rawValue: UInt8(truncatingIfNeeded: extra)))
        case .timer: self = .timer(deadline: arg)
        case .mutex: self = .mutex(id: UInt32(truncatingIfNeeded: arg))
        case .channel: self = .channel(id: UInt32(truncatingIfNeeded: arg), sending: extra != 0)
        case .join: self = .join(TaskID(arg))
        case .blockingPool: self = .blockingPool
        case .continuation: self = .continuation
        case .taskGroup: self = .taskGroup
        case .actor: self = .actor(name: UInt32(truncatingIfNeeded: arg))
        case .other: self = .other
        }
    }
}
