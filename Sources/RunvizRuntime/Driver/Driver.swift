// The I/O driver (reactor): an epoll instance, an eventfd to interrupt it, the fd → Registration
// table and the timer heap. There is no reactor thread: the driver is held by at most one worker at
// a time (`tryAcquire`), the idle worker that parks inside `turn(mayBlock: true)`; busy workers turn
// it without blocking every `Worker.eventInterval` jobs (`poll`). Tasks woken during a turn land on the turning worker's
// local queue, so the thread that saw the event runs the task.
//
// epoll mode: every socket is registered once, edge-triggered (see Registration). Each registration's
// epoll user data is an EpollKey, fd and generation, so an event for a closed-and-reused fd number
// is ignored (see EpollKey for why). Events are read in batches of 1,024. The kernel is reached only
// through RunvizSystem's wrappers (Epoll, EventFD, Posix).

import RunvizLock
import RunvizSystem
import RunvizTelemetry
import Synchronization

final class Driver: @unchecked Sendable {
    let epfd: Int32
    let wakeFD: Int32
    let timers = TimerHeap()
    let recorder: Recorder
    private let held = Atomic<Bool>(false)
    private let registrations = Lock(RegistrationTable())
    private let generation = Atomic<UInt32>(1)
    private let events: UnsafeMutablePointer<Epoll.Event>
    /// Ready registrations of the current turn, each retained from the table's lock until it has
    /// woken its waiters; only the driver's holder touches it (no allocation per turn). Unmanaged:
    /// an array of plain values empties with no per-element destroy through value witnesses.
    @exclusivity(unchecked) private var ready: [(registration: Unmanaged<Registration>, readiness: Interest)] = []
    private let batch = 1024
    /// Registrations currently in the table.
    let registered = Atomic<Int>(0)

    init(recorder: Recorder) throws(SystemError) {
        self.recorder = recorder
        let epfd = try Epoll.create()
        let wakeFD: Int32
        do {
            wakeFD = try EventFD.create()
        } catch {
            try? Posix.close(epfd)
            throw error
        }
        do {
            try Epoll.add(epfd, fd: wakeFD, events: Epoll.EPOLLIN, userData: EpollKey.wake.rawValue)
        } catch {
            try? Posix.close(wakeFD)
            try? Posix.close(epfd)
            throw error
        }
        self.epfd = epfd
        self.wakeFD = wakeFD
        events = .allocate(capacity: batch)
    }

    deinit {
        events.deallocate()
        try? Posix.close(wakeFD)
        try? Posix.close(epfd)
    }

    func tryAcquire() -> Bool {
        held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() { held.store(false, ordering: .releasing) }

    var isHeld: Bool { held.load(ordering: .relaxed) }

    /// Interrupts a worker sleeping in epoll_wait.
    func wake() { try? EventFD.signal(wakeFD) }

    /// A busy worker's non-blocking turn, if no one else holds the driver.
    func poll(by worker: Worker) {
        guard tryAcquire() else { return }
        turn(by: worker, mayBlock: false)
        release()
    }

    /// One epoll_wait (sleeping until the next timer when `mayBlock`), then wake the ready tasks and fire due timers.
    func turn(by worker: Worker, mayBlock: Bool) {
        turn(timeoutMs: mayBlock ? sleepTimeout() : 0)
    }

    /// One epoll_wait of at most `timeoutMs` (-1: no limit), then the ready tasks and the due timers.
    func turn(timeoutMs: Int32) {
        // epoll_wait fails only for a bad epfd or buffer (program bugs); the turn then sees no events.
        let n = (try? Epoll.wait(epfd, into: events, capacity: Int32(batch), timeoutMs: timeoutMs)) ?? 0
        if n > 0 { dispatch(count: n) }
        fireTimers()
    }

    /// Until the earliest timer, rounded up to whole milliseconds; -1 (no limit) without timers.
    private func sleepTimeout() -> Int32 {
        guard let deadline = timers.nextDeadline else { return -1 }
        let now = monotonicNow()
        return deadline <= now ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
    }

    private func dispatch(count: Int) {
        registrations.withLock { table in
            for i in 0..<count {
                let event = Epoll.event(events, at: i)
                let key = EpollKey(rawValue: event.userData)
                if key == .wake {
                    try? EventFD.drain(wakeFD)
                    continue
                }
                guard let reg = table.registration(for: key) else { continue }
                ready.append((.passRetained(reg), Interest(epollEvents: event.mask)))
            }
        }
        for i in ready.indices {
            let (reg, readiness) = ready[i]
            reg.takeRetainedValue().ready(readiness, recorder: recorder)
        }
        ready.removeAll(keepingCapacity: true)
    }

    private func fireTimers() {
        guard timers.nextDeadline != nil else { return }
        let due = timers.expired(at: monotonicNow())
        for slot in due {
            guard let waiter = slot.take() else { continue }
            recorder.hub.metrics.timerFired()
            recorder.record(.timerFired, task: slot.task, worker: WorkerContext.currentIndex, arg: slot.deadline)
            WakeCause.with(.timer, slot.deadline) {
                switch waiter {
                case .continuation(let c):
                    c.resume()
                case .wakeJob(let job):
                    // Swift's wake job only resumes the sleeper's continuation: run here, as
                    // `c.resume()` is, the sleeper is enqueued with the cause "timer".
                    job.runSynchronously(on: SwiftRuntime.genericExecutor)
                }
            }
        }
    }

    /// Registers `fd` (edge-triggered, read and write) on behalf of the current task.
    func register(fd: Int32) throws(SystemError) -> Registration {
        // A negative fd is no fd: the table is indexed by it, and epoll would refuse it anyway.
        guard fd >= 0 else { throw .notOpen("epoll_ctl") }
        // Read once: the registration is marked announced exactly when it is recorded below.
        let recording = recorder.enabled
        let reg = Registration(
            fd: fd, generation: generation.add(1, ordering: .relaxed).oldValue, announced: recording)
        // In the table before epoll knows the fd, so no event can find the slot empty.
        registrations.withLock { $0.insert(reg) }
        let interest: Interest = [.read, .write]
        do {
            try Epoll.add(epfd, fd: fd, events: interest.epollEvents | Epoll.EPOLLET, userData: reg.key.rawValue)
        } catch {
            registrations.withLock { $0.remove(reg) }
            throw error
        }
        registered.add(1, ordering: .relaxed)
        if recording {
            recorder.record(
                RuntimeEvent(
                    time: monotonicNow(), kind: .fdRegistered, task: TaskIdentity.current,
                    worker: WorkerContext.currentIndex, detail: UInt16(interest.rawValue), arg: UInt64(fd)))
        }
        return reg
    }

    /// The live registration `key` names; nil when its fd was closed (and perhaps reused since).
    func registration(for key: EpollKey) -> Registration? {
        registrations.withLock { $0.registration(for: key) }
    }

    /// Closes a registered fd once: marks it closed and wakes its waiters, removes it from epoll
    /// and the table, then drops the owner's pin (in that order, so no event and no epoll_ctl can
    /// name a reused fd number). close(2) runs then, or when the last syscall still in flight on
    /// another thread ends (see Registration). Idempotent.
    func close(_ reg: Registration) {
        guard reg.close() else { return }
        try? Epoll.delete(epfd, fd: reg.fd)
        registrations.withLock { $0.remove(reg) }
        registered.subtract(1, ordering: .relaxed)
        recorder.record(
            .fdDeregistered, task: TaskIdentity.current, worker: WorkerContext.currentIndex, arg: UInt64(reg.fd))
        reg.releaseOwner()
    }

    /// Adds a timer and makes sure a sleeping driver notices an earlier deadline; false when the heap
    /// refused it (a wake job at shutdown).
    @discardableResult
    func addTimer(_ slot: TimerSlot) -> Bool {
        guard let earliest = timers.insert(slot) else { return false }
        if earliest && isHeld { wake() }
        return true
    }
}
