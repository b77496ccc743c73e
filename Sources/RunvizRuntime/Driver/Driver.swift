// The I/O driver (reactor): an epoll instance, an eventfd to interrupt it, the fd → Registration
// table and the timer heap. There is no reactor thread: the driver is held by at most one worker at
// a time (`tryAcquire`), the idle worker that parks inside `turn(mayBlock: true)`; busy workers turn
// it without blocking every 61 jobs (`poll`). Tasks woken during a turn land on the turning worker's
// local queue, so the thread that saw the event runs the task.
//
// epoll mode: every socket is registered once, edge-triggered (see Registration). The user data
// packs a generation beside the fd, so an event for a closed-and-reused fd number is ignored.
// Events are read in batches of 1,024.

import CRunvizLinux
import Glibc
import RunvizTelemetry
import Synchronization

final class Driver: @unchecked Sendable {
    let epfd: Int32
    let wakeFD: Int32
    let timers = TimerHeap()
    let recorder: Recorder
    private let held = Atomic<Bool>(false)
    private let registrations = Mutex<[Registration?]>([])
    private let generation = Atomic<UInt32>(1)
    private let events: UnsafeMutablePointer<epoll_event>
    /// Ready registrations of the current turn; only the driver's holder touches it (no allocation per turn).
    private var ready: [(Registration, Interest)] = []
    private let batch = 1024
    private static let wakeKey: UInt64 = UInt64.max
    /// Registrations currently in the table.
    let registered = Atomic<Int>(0)

    init(recorder: Recorder) throws(SystemError) {
        self.recorder = recorder
        epfd = runviz_epoll_create()
        if epfd < 0 { throw SystemError("epoll_create1", errno: Glibc.errno) }
        wakeFD = runviz_eventfd()
        if wakeFD < 0 { throw SystemError("eventfd", errno: Glibc.errno) }
        events = .allocate(capacity: batch)
        if runviz_epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, UInt32(EPOLLIN.rawValue), Self.wakeKey) < 0 {
            throw SystemError("epoll_ctl", errno: Glibc.errno)
        }
    }

    deinit {
        events.deallocate()
        Glibc.close(wakeFD)
        Glibc.close(epfd)
    }

    func tryAcquire() -> Bool {
        held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() { held.store(false, ordering: .releasing) }

    var isHeld: Bool { held.load(ordering: .relaxed) }

    /// Interrupts a worker sleeping in epoll_wait.
    func wake() { _ = runviz_eventfd_signal(wakeFD) }

    /// A busy worker's non-blocking turn, if no one else holds the driver.
    func poll(by worker: Worker) {
        guard tryAcquire() else { return }
        turn(by: worker, mayBlock: false)
        release()
    }

    /// One epoll_wait (sleeping until the next timer when `mayBlock`), then wake the ready tasks and fire due timers.
    func turn(by worker: Worker, mayBlock: Bool) {
        var timeout: Int32 = 0
        if mayBlock {
            if let deadline = timers.nextDeadline {
                let now = monotonicNow()
                timeout = deadline <= now ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
            } else {
                timeout = -1
            }
        }
        let n = runviz_epoll_wait(epfd, events, Int32(batch), timeout)
        if n > 0 { dispatch(count: Int(n)) }
        fireTimers()
    }

    private func dispatch(count: Int) {
        ready.removeAll(keepingCapacity: true)
        registrations.withLock { table in
            for i in 0..<count {
                let key = runviz_epoll_event_data(events, Int32(i))
                if key == Self.wakeKey {
                    _ = runviz_eventfd_drain(wakeFD)
                    continue
                }
                let fd = Int(UInt32(truncatingIfNeeded: key))
                guard fd < table.count, let reg = table[fd], reg.key == key else { continue }
                let mask = runviz_epoll_event_mask(events, Int32(i))
                var readiness: Interest = []
                if mask & UInt32(EPOLLIN.rawValue) != 0 { readiness.insert(.read) }
                if mask & UInt32(EPOLLOUT.rawValue) != 0 { readiness.insert(.write) }
                if mask & (UInt32(EPOLLERR.rawValue) | UInt32(EPOLLHUP.rawValue) | UInt32(EPOLLRDHUP.rawValue)) != 0 {
                    readiness.insert(.hangup)
                }
                ready.append((reg, readiness))
            }
        }
        for (reg, readiness) in ready { reg.ready(readiness, recorder: recorder) }
        ready.removeAll(keepingCapacity: true)
    }

    private func fireTimers() {
        guard timers.nextDeadline != nil else { return }
        let due = timers.expired(at: monotonicNow())
        for slot in due {
            guard let c = slot.take() else { continue }
            recorder.record(.timerFired, task: slot.task, worker: WorkerContext.currentIndex, arg: slot.deadline)
            WakeCause.with(.timer, slot.deadline) { c.resume() }
        }
    }

    /// Registers `fd` (edge-triggered, read and write) on behalf of the current task.
    func register(fd: Int32) throws(SystemError) -> Registration {
        let gen = generation.add(1, ordering: .relaxed).oldValue
        let reg = Registration(fd: fd, generation: gen)
        registrations.withLock { table in
            let i = Int(fd)
            if i >= table.count {
                table.append(contentsOf: repeatElement(nil, count: max(i + 1 - table.count, table.count)))
            }
            table[i] = reg
        }
        let mask = UInt32(EPOLLIN.rawValue) | UInt32(EPOLLOUT.rawValue) | UInt32(EPOLLRDHUP.rawValue) | EPOLLET.rawValue
        if runviz_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, mask, reg.key) < 0 {
            let err = Glibc.errno
            registrations.withLock { $0[Int(fd)] = nil }
            throw SystemError("epoll_ctl", errno: err)
        }
        registered.add(1, ordering: .relaxed)
        recorder.record(
            .fdRegistered, task: TaskIdentity.current, worker: WorkerContext.currentIndex,
            detail: UInt16(Interest([.read, .write]).rawValue), arg: UInt64(fd))
        return reg
    }

    /// Closes a registered fd once: wakes its waiters, removes it from epoll and the table, then
    /// closes the fd (in that order, so no event can name a reused fd number). Idempotent.
    func close(_ reg: Registration) {
        guard reg.close() else { return }
        _ = runviz_epoll_ctl(epfd, EPOLL_CTL_DEL, reg.fd, 0, 0)
        registrations.withLock { table in
            if Int(reg.fd) < table.count, table[Int(reg.fd)] === reg { table[Int(reg.fd)] = nil }
        }
        registered.subtract(1, ordering: .relaxed)
        recorder.record(
            .fdDeregistered, task: TaskIdentity.current, worker: WorkerContext.currentIndex, arg: UInt64(reg.fd))
        Glibc.close(reg.fd)
    }

    /// Adds a timer and makes sure a sleeping driver notices an earlier deadline.
    func addTimer(_ slot: TimerSlot) {
        if timers.insert(slot) && isHeld { wake() }
    }
}
