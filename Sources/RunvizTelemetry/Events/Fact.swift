// What a RuntimeEvent says, typed: one case per event kind, its payload named (tasks as TaskID, fds
// as Int32, worker indices as Int, reasons and sources as their enums). The runtime records the
// packed 32-byte RuntimeEvent on its hot path; every reader decodes it here, once, and switches on
// the fact, so no reader unpacks `arg`, `detail` or `extra` by hand, and a new kind fails to compile
// in every reader that has to say what it does with it (readers list the kinds they skip, never a
// `default:`). `RuntimeEvent(time:fact:)` is the inverse, for events built off the hot path (tests,
// tools): Fact → RuntimeEvent → Fact gives back the same fact.
//
// Decoding is a switch and a few integer conversions: no allocation, inlinable, cheap enough for
// every event an observer reads. Bytes the runtime never writes still decode to something (an
// unknown wake source reads `.other`, an unknown park kind `.other`), never a trap: recordings
// come from outside.

public enum Fact: Sendable, Equatable {
    /// `task` was spawned by `parent` (`.none`: by no task) with interned name `name`.
    case spawned(TaskID, parent: TaskID, name: UInt32, thread: EventThread)
    /// `task` entered `queue` with `ahead` jobs before it, because of `source`. `argument` is the
    /// source's: the fd (`.io`), the waking task (`.task`), the deadline (`.timer`); for `.other`,
    /// the task whose job was running when it was scheduled (0: none); 0 for `.spawn`.
    case scheduled(TaskID, source: WakeSource, argument: UInt64, queue: ReadyQueue, ahead: UInt32)
    /// A job of `task` started on `worker`.
    case runStarted(TaskID, worker: Int)
    /// The job of `task` on `worker` returned.
    case runFinished(TaskID, worker: Int)
    /// `task` is about to suspend on `reason`; on an fd, `proof` is the syscall that proved it not ready.
    /// Parking on `.io` is also how the task leaves its interest with the reactor.
    case parked(TaskID, on: ParkReason, proof: ReadinessProof?, thread: EventThread)
    /// `task` returned from its body.
    case completed(TaskID, thread: EventThread)
    /// `task` ended by cancellation.
    case cancelled(TaskID, thread: EventThread)
    /// `fd` was registered with epoll for `interest` by `task`.
    case fdRegistered(fd: Int32, interest: Interest, by: TaskID, thread: EventThread)
    /// The kernel reported `fd` ready with `readiness`; `waking` is the waiter it wakes (`.none`: none).
    case fdReady(fd: Int32, readiness: Interest, waking: TaskID, thread: EventThread)
    /// `fd` was removed from epoll, by `task`.
    case fdDeregistered(fd: Int32, by: TaskID, thread: EventThread)
    /// `worker` went to sleep: in epoll_wait (it holds the I/O driver) or on its parker.
    case workerParked(worker: Int, inDriver: Bool)
    /// `worker` woke up.
    case workerUnparked(worker: Int)
    /// The watchdog saw `worker` run one job of `task` (`.none`: a job of no task), started at
    /// `jobStart`, for longer than the blocked threshold.
    case workerBlocked(worker: Int, task: TaskID, jobStart: UInt64)
    /// `worker` stole `jobs` jobs from worker `victim`.
    case stole(worker: Int, victim: Int, jobs: UInt32)
    /// Blocking-pool job number `job`, submitted by `task`, started on pool thread `poolThread` (slot + 1).
    case blockingStarted(TaskID, job: UInt64, poolThread: UInt32)
    /// That blocking-pool job finished.
    case blockingFinished(TaskID, job: UInt64, poolThread: UInt32)
    /// A timer of `task` with `deadline` expired.
    case timerFired(TaskID, deadline: UInt64, thread: EventThread)
    /// `task` wrote `bytes` bytes to the stream on `fd` (a reply, for a server).
    case wrote(TaskID, fd: Int32, bytes: UInt32, thread: EventThread)
    /// `task`'s JoinHandle is awaited by task `awaiter` (`.none`: by a thread blocked in `blockOn`).
    case handleAwaited(TaskID, by: TaskID)
    /// `task`'s JoinHandle was dropped before anyone awaited it: nobody will see its result.
    case handleDropped(TaskID)
}

/// The thread that recorded an event: a worker, or any other thread (the reactor's caller off the
/// workers, a blocking-pool thread, the watchdog, a thread spawning from outside).
public enum EventThread: Hashable, Sendable {
    case worker(Int)
    case other

    @inlinable
    public init(code: UInt8) {
        self = code == RuntimeEvent.noWorker ? .other : .worker(Int(code))
    }

    @inlinable
    public var code: UInt8 {
        switch self {
        case .worker(let index): return UInt8(truncatingIfNeeded: index)
        case .other: return RuntimeEvent.noWorker
        }
    }

    /// The worker's index, if a worker recorded it.
    @inlinable
    public var worker: Int? {
        switch self {
        case .worker(let index): return index
        case .other: return nil
        }
    }
}

/// The run queue a job entered: a worker's local queue, or the shared inject queue.
public enum ReadyQueue: Hashable, Sendable, CustomStringConvertible {
    case local(worker: Int)
    case inject

    @inlinable
    public init(code: UInt8) {
        self = code == RuntimeEvent.injectQueue ? .inject : .local(worker: Int(code))
    }

    @inlinable
    public var code: UInt8 {
        switch self {
        case .local(let worker): return UInt8(truncatingIfNeeded: worker)
        case .inject: return RuntimeEvent.injectQueue
        }
    }

    /// "inject", or the worker's name ("W1").
    public var description: String {
        switch self {
        case .local(let worker): return "W\(worker)"
        case .inject: return "inject"
        }
    }
}

extension RuntimeEvent {
    /// What this event says. The one place an event's fields are interpreted. Always inlined: in a
    /// reader's `switch e.fact` the compiler then folds the decoding into the reader's own switch
    /// (out of line, it built the whole Fact first, which cost as much as the reader's work).
    @inlinable @inline(__always)
    public var fact: Fact {
        let task = TaskID(self.task)
        let thread = EventThread(code: worker)
        switch kind {
        case .spawned: return .spawned(task, parent: TaskID(arg), name: extra, thread: thread)
        case .scheduled:
            return .scheduled(
                task, source: WakeSource(rawValue: UInt8(truncatingIfNeeded: detail)) ?? .other, argument: arg,
                queue: ReadyQueue(code: worker), ahead: extra)
        case .runStarted: return .runStarted(task, worker: Int(worker))
        case .runFinished: return .runFinished(task, worker: Int(worker))
        case .parked:
            return .parked(
                task, on: ParkReason(detail: detail, arg: arg, extra: extra),
                proof: ReadinessProof(parkedExtra: extra), thread: thread)
        case .completed: return .completed(task, thread: thread)
        case .cancelled: return .cancelled(task, thread: thread)
        case .fdRegistered:
            return .fdRegistered(fd: Self.fd(arg), interest: Self.interest(detail), by: task, thread: thread)
        case .fdReady: return .fdReady(fd: Self.fd(arg), readiness: Self.interest(detail), waking: task, thread: thread)
        case .fdDeregistered: return .fdDeregistered(fd: Self.fd(arg), by: task, thread: thread)
        case .workerParked: return .workerParked(worker: Int(worker), inDriver: detail == 1)
        case .workerUnparked: return .workerUnparked(worker: Int(worker))
        case .workerBlocked: return .workerBlocked(worker: Int(worker), task: task, jobStart: arg)
        case .stole: return .stole(worker: Int(worker), victim: Int(truncatingIfNeeded: arg), jobs: extra)
        case .blockingStarted: return .blockingStarted(task, job: arg, poolThread: extra)
        case .blockingFinished: return .blockingFinished(task, job: arg, poolThread: extra)
        case .timerFired: return .timerFired(task, deadline: arg, thread: thread)
        case .wrote: return .wrote(task, fd: Self.fd(arg), bytes: extra, thread: thread)
        case .handleAwaited: return .handleAwaited(task, by: TaskID(arg))
        case .handleDropped: return .handleDropped(task)
        }
    }

    /// The event that says `fact` at `time`: the inverse of `fact`.
    @inlinable
    public init(time: UInt64, fact: Fact) {
        switch fact {
        case .spawned(let task, let parent, let name, let thread):
            self.init(time: time, kind: .spawned, task: task.raw, worker: thread.code, arg: parent.raw, extra: name)
        case .scheduled(let task, let source, let argument, let queue, let ahead):
            self.init(
                time: time, kind: .scheduled, task: task.raw, worker: queue.code, detail: UInt16(source.rawValue),
                arg: argument, extra: ahead)
        case .runStarted(let task, let worker):
            self.init(time: time, kind: .runStarted, task: task.raw, worker: UInt8(truncatingIfNeeded: worker))
        case .runFinished(let task, let worker):
            self.init(time: time, kind: .runFinished, task: task.raw, worker: UInt8(truncatingIfNeeded: worker))
        case .parked(let task, let reason, let proof, let thread):
            let e = reason.encoded
            let extra = e.extra | UInt32(proof?.rawValue ?? 0) << ReadinessProof.parkedExtraShift
            self.init(
                time: time, kind: .parked, task: task.raw, worker: thread.code, detail: e.detail, arg: e.arg,
                extra: extra)
        case .completed(let task, let thread):
            self.init(time: time, kind: .completed, task: task.raw, worker: thread.code)
        case .cancelled(let task, let thread):
            self.init(time: time, kind: .cancelled, task: task.raw, worker: thread.code)
        case .fdRegistered(let fd, let interest, let task, let thread):
            self.init(
                time: time, kind: .fdRegistered, task: task.raw, worker: thread.code,
                detail: UInt16(interest.rawValue), arg: Self.arg(fd))
        case .fdReady(let fd, let readiness, let task, let thread):
            self.init(
                time: time, kind: .fdReady, task: task.raw, worker: thread.code, detail: UInt16(readiness.rawValue),
                arg: Self.arg(fd))
        case .fdDeregistered(let fd, let task, let thread):
            self.init(time: time, kind: .fdDeregistered, task: task.raw, worker: thread.code, arg: Self.arg(fd))
        case .workerParked(let worker, let inDriver):
            self.init(
                time: time, kind: .workerParked, worker: UInt8(truncatingIfNeeded: worker), detail: inDriver ? 1 : 0)
        case .workerUnparked(let worker):
            self.init(time: time, kind: .workerUnparked, worker: UInt8(truncatingIfNeeded: worker))
        case .workerBlocked(let worker, let task, let jobStart):
            self.init(
                time: time, kind: .workerBlocked, task: task.raw, worker: UInt8(truncatingIfNeeded: worker),
                arg: jobStart)
        case .stole(let worker, let victim, let jobs):
            self.init(
                time: time, kind: .stole, worker: UInt8(truncatingIfNeeded: worker),
                arg: UInt64(truncatingIfNeeded: victim), extra: jobs)
        case .blockingStarted(let task, let job, let thread):
            self.init(time: time, kind: .blockingStarted, task: task.raw, arg: job, extra: thread)
        case .blockingFinished(let task, let job, let thread):
            self.init(time: time, kind: .blockingFinished, task: task.raw, arg: job, extra: thread)
        case .timerFired(let task, let deadline, let thread):
            self.init(time: time, kind: .timerFired, task: task.raw, worker: thread.code, arg: deadline)
        case .wrote(let task, let fd, let bytes, let thread):
            self.init(time: time, kind: .wrote, task: task.raw, worker: thread.code, arg: Self.arg(fd), extra: bytes)
        case .handleAwaited(let task, let awaiter):
            self.init(time: time, kind: .handleAwaited, task: task.raw, arg: awaiter.raw)
        case .handleDropped(let task):
            self.init(time: time, kind: .handleDropped, task: task.raw)
        }
    }

    /// An fd travels as its 32-bit pattern in `arg`.
    @inlinable
    static func fd(_ arg: UInt64) -> Int32 { Int32(truncatingIfNeeded: arg) }

    @inlinable
    static func arg(_ fd: Int32) -> UInt64 { UInt64(UInt32(bitPattern: fd)) }

    @inlinable
    static func interest(_ detail: UInt16) -> Interest { Interest(rawValue: UInt8(truncatingIfNeeded: detail)) }
}
