// The blocking pool (tokio's spawn_blocking): separate OS threads for work that would stall a
// worker — blocking syscalls, sleeps, long CPU loops. Threads start on demand up to `maxThreads`
// and exit after `keepAlive` idle; extra jobs wait in a FIFO queue. A job's submitter is parked
// (reason: blocking pool) and woken, with cause "blocking pool", when the job finishes.
//
// Every decision is made by `Book`, a plain state machine under the pool's lock, so tests can
// drive it step by step. Its invariants:
// - each live thread owns one slot (0..<maxThreads) until it exits; `threads` counts them;
// - `idle` holds the slot of each parked thread that has not been handed a wake, once; a thread
//   leaves `idle` exactly when it stops being idle (a submit pops it, or it finds work, or exits);
// - so a submit that finds `idle` empty starts a thread if there is room, and a queued job always
//   has a live thread that will see it.
// Slots make threads cheap to replace: a slot keeps its Parker across thread lifetimes. A thread's
// event ring is the thread's, not the slot's: borrowed from the hub (`lendRing`) the first time the
// thread records with instrumentation on, given back as the thread leaves its slot (under the lock
// that frees it), and let go once the reader has drained it (or lent to the next thread first), so a
// pool that shrinks gives its rings' memory back.
// Pool rings are small (`ringCapacity`: a pool thread records a few events per job, where a worker
// records several per task switch) and resident only as far as written, so the hub holds at most
// `maxThreads` pool rings of `ringCapacity` events each, a bound `lentRings` reads. A thread that exits
// joins the threads that exited before it (at most one finished thread is left unjoined, and
// shutdown joins it), so finished threads' stacks are unmapped.

import DequeModule
import Glibc
import RunvizLock
import RunvizSystem
import RunvizTelemetry

final class BlockingPool: Sendable {
    struct Job {
        let number: UInt64
        let task: UInt64
        let work: @Sendable () -> Void
    }

    /// The pool's bookkeeping: the queue, the idle slots and the live threads.
    struct Book {
        let maxThreads: Int
        private(set) var queue = Deque<Job>()
        /// Slots of parked threads nobody has woken, each at most once.
        private(set) var idle: [Int] = []
        private(set) var occupied: [Bool]
        private(set) var threads = 0
        private(set) var nextJob: UInt64 = 0
        private(set) var shuttingDown = false

        init(maxThreads: Int) {
            self.maxThreads = maxThreads
            occupied = Array(repeating: false, count: maxThreads)
        }

        enum Submitted: Equatable {
            /// Unpark the thread of this slot (it is no longer idle).
            case wake(Int)
            /// Start a thread for this slot.
            case start(Int)
            /// Every thread is busy and the pool is full: the job waits for one.
            case queued
        }

        mutating func submit(task: UInt64, _ work: @escaping @Sendable () -> Void) -> Submitted {
            nextJob += 1
            queue.append(Job(number: nextJob, task: task, work: work))
            if let slot = idle.popLast() { return .wake(slot) }
            guard threads < maxThreads, let slot = occupied.firstIndex(of: false) else { return .queued }
            occupied[slot] = true
            threads += 1
            return .start(slot)
        }

        /// A thread for `slot` could not be started.
        mutating func startFailed(slot: Int) { release(slot) }

        enum Next {
            case run(Job)
            /// Park until woken or the keep-alive passes, then call `woke`.
            case park
            /// The thread exits; its slot is free.
            case exit
        }

        /// What the (running, not idle) thread of `slot` does next.
        mutating func next(slot: Int) -> Next {
            if let job = queue.popFirst() { return .run(job) }
            if shuttingDown {
                release(slot)
                return .exit
            }
            idle.append(slot)
            return .park
        }

        enum Woke: Equatable {
            /// Call `next`: work was handed over or is waiting.
            case proceed
            /// A stale or spurious wake before the keep-alive passed: park again.
            case parkAgain
            case exit
        }

        /// The thread of `slot` returned from its park; `expired` when its keep-alive has passed.
        mutating func woke(slot: Int, expired: Bool) -> Woke {
            guard let i = idle.firstIndex(of: slot) else { return .proceed }  // a submit popped it
            if !queue.isEmpty || shuttingDown {
                idle.remove(at: i)
                return .proceed
            }
            guard expired else { return .parkAgain }
            idle.remove(at: i)
            release(slot)
            return .exit
        }

        /// Stops the pool: returns the idle slots to wake (each then finds the queue drained and exits).
        mutating func beginShutdown() -> [Int] {
            shuttingDown = true
            defer { idle.removeAll() }
            return idle
        }

        private mutating func release(_ slot: Int) {
            occupied[slot] = false
            threads -= 1
        }
    }

    /// A live thread's join handle, as known to the pool.
    private enum Launch {
        /// `OSThread.start` has not returned its handle yet.
        case starting
        case running(OSThread)
        /// The thread exited before its handle was published; the starter hands it on for joining.
        case exitedEarly
    }

    private struct State {
        var book: Book
        var parkers: [Parker?]
        var launches: [UInt64: Launch] = [:]
        var nextLaunch: UInt64 = 0
        /// Handles of exited threads nobody has joined yet.
        var unjoined: [OSThread] = []
        /// The threads inside their loop, as each names itself (`OSThread.current`) when it starts: a
        /// thread may run jobs before `launches` has its handle.
        var inLoop: Set<OSThread> = []
        /// `shutdown` has joined every thread it could, or stopped at its deadline: one still running
        /// (the pool thread that called it, or one busy past the deadline) detaches itself when it
        /// exits, since nobody is left to join it.
        var joinedAll = false
    }
    private let state: Lock<State>
    private let shutdownParker = Parker()
    let maxThreads: Int
    let keepAliveNanos: Int64
    /// Events a pool thread's ring holds (at most the hub's capacity): enough for thousands of jobs
    /// between two drains of an observer (every 50 ms), 128 KiB of mapping.
    static let ringCapacity = 1 << 12
    private let recorder: Recorder
    private var hub: TelemetryHub { recorder.hub }

    init(maxThreads: Int, keepAliveNanos: Int64, recorder: Recorder) {
        self.maxThreads = maxThreads
        self.keepAliveNanos = max(0, keepAliveNanos)
        self.recorder = recorder
        state = Lock(
            State(
                book: Book(maxThreads: maxThreads), parkers: Array(repeating: nil, count: maxThreads)))
    }

    /// Live pool threads.
    var threads: Int { state.withLock { $0.book.threads } }

    /// Exited threads not yet joined (at most one between exits, none after shutdown).
    var unjoinedThreads: Int { state.withLock { $0.unjoined.count } }

    /// Queues `work`; wakes an idle thread, or starts one if none is idle and the pool has room.
    func submit(task: UInt64, _ work: @escaping @Sendable () -> Void) {
        let (decision, wake, launch) = state.withLock { s -> (Book.Submitted, Parker?, UInt64) in
            let decision = s.book.submit(task: task, work)
            hub.metrics.setBlockingQueued(s.book.queue.count)
            switch decision {
            case .wake(let slot): return (decision, s.parkers[slot], 0)
            case .start(let slot):
                if s.parkers[slot] == nil { s.parkers[slot] = Parker() }
                s.nextLaunch += 1
                s.launches[s.nextLaunch] = .starting
                return (decision, nil, s.nextLaunch)
            case .queued: return (decision, nil, 0)
            }
        }
        wake?.unpark()
        if case .start(let slot) = decision { startThread(slot: slot, launch: launch) }
    }

    private func startThread(slot: Int, launch: UInt64) {
        hub.metrics.blockingThreadStarted()
        let handle: OSThread
        do {
            handle = try OSThread.start(name: "runviz-blk\(slot + 1)") { self.threadLoop(slot: slot, launch: launch) }
        } catch {
            hub.metrics.blockingThreadExited()
            state.withLock { s in
                s.book.startFailed(slot: slot)
                s.launches[launch] = nil
            }
            return
        }
        state.withLock { s in
            if case .exitedEarly = s.launches[launch] {
                s.launches[launch] = nil
                s.unjoined.append(handle)
            } else {
                s.launches[launch] = .running(handle)
            }
        }
        shutdownParker.unpark()  // a waiting shutdown re-checks the launches
    }

    private func threadLoop(slot: Int, launch: UInt64) {
        let me = OSThread.current
        let parker = state.withLock { s in
            s.inLoop.insert(me)
            return s.parkers[slot]!
        }
        var ring: EventRing?
        // Under the lock that frees the slot, so a ring is never held by a thread the pool no longer counts.
        func giveBackRing() {
            Recorder.abandonRing()
            if let ring { hub.returnRing(ring) }
        }
        work: while true {
            switch state.withLock({ s -> Book.Next in
                let next = s.book.next(slot: slot)
                switch next {
                case .run: hub.metrics.setBlockingQueued(s.book.queue.count)
                case .exit: giveBackRing()
                case .park: break
                }
                return next
            }) {
            case .run(let job):
                if ring == nil && hub.enabled { ring = borrowRing() }
                hub.metrics.blockingJobStarted()
                recorder.record(.blockingStarted, task: job.task, arg: job.number, extra: UInt32(slot + 1))
                job.work()
                recorder.record(.blockingFinished, task: job.task, arg: job.number, extra: UInt32(slot + 1))
                hub.metrics.blockingJobFinished()
            case .park:
                let (deadline, overflow) = monotonicNow().addingReportingOverflow(UInt64(keepAliveNanos))
                let until = overflow ? UInt64.max : deadline
                while true {
                    let now = monotonicNow()
                    if now < until { parker.park(timeoutNanos: Int64(clamping: until - now)) }
                    let expired = monotonicNow() >= until
                    switch state.withLock({ s -> Book.Woke in
                        let woke = s.book.woke(slot: slot, expired: expired)
                        if woke == .exit { giveBackRing() }
                        return woke
                    }) {
                    case .proceed: continue work
                    case .parkAgain: continue
                    case .exit: break work
                    }
                }
            case .exit:
                break work
            }
        }
        hub.metrics.blockingThreadExited()
        _ = state.withLock { $0.inLoop.remove(me) }
        exited(launch: launch)
    }

    /// The calling thread's ring until it exits.
    private func borrowRing() -> EventRing {
        let ring = hub.lendRing(label: "blocking pool", capacity: min(hub.ringCapacity, Self.ringCapacity))
        Recorder.adopt(ring)
        return ring
    }

    /// The exiting thread hands its handle on, and joins the threads that exited before it.
    private func exited(launch: UInt64) {
        let me = OSThread.current
        let (earlier, detach) = state.withLock { s -> ([OSThread], Bool) in
            let earlier = s.unjoined
            s.unjoined.removeAll()
            switch s.launches[launch] {
            case .running:
                s.launches[launch] = nil
                if s.joinedAll { return (earlier, true) }
                s.unjoined.append(me)
            default:
                s.launches[launch] = .exitedEarly
            }
            return (earlier, false)
        }
        shutdownParker.unpark()
        for thread in earlier { thread.join() }
        if detach { me.detach() }
    }

    /// Whether the calling thread is one of the pool's.
    var runsOnPoolThread: Bool {
        let me = OSThread.current
        return state.withLock { $0.inLoop.contains(me) }
    }

    /// Lets queued jobs finish, then joins every thread (but the caller's own, when a pool thread
    /// shuts the pool down: it cannot wait for itself, and detaches itself when it exits). At
    /// `deadline` (monotonic ns) it stops waiting: threads still busy then detach themselves when
    /// their job ends. Returns whether every thread was joined.
    @discardableResult
    func shutdown(deadline: UInt64 = .max) -> Bool {
        let me = OSThread.current
        let idle = state.withLock { s in s.book.beginShutdown().compactMap { s.parkers[$0] } }
        for p in idle { p.unpark() }
        while true {
            let late = monotonicNow() >= deadline
            let (handles, done) = state.withLock { s -> ([OSThread], Bool) in
                defer { s.unjoined.removeAll() }
                let others = s.launches.values.contains { launch in
                    if case .running(let h) = launch { return h != me }
                    return true
                }
                if !others || late { s.joinedAll = true }
                return (s.unjoined, !others)
            }
            for thread in handles { thread.join() }
            if done || late { return done }
            let now = monotonicNow()
            shutdownParker.park(
                timeoutNanos: deadline == .max ? -1 : Int64(clamping: deadline > now ? deadline - now : 0))
        }
    }
}
