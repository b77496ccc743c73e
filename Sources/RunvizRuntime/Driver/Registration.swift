// One fd registered with the reactor, and the tasks waiting on it. Registered once, edge-triggered
// (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET), as tokio does: no epoll_ctl per wait. A waiting task
// stores its continuation here (that is its interest: the reactor's record of who to wake); the
// driver counts the edge and resumes every waiter of that direction.
//
// Readiness protocol (no lost wakeups, any number of waiters), tokio's readiness-with-tick: each
// direction counts the edges the driver delivered (`edges`) and remembers the count that was read
// before the latest syscall that answered EAGAIN (`emptyAt`). The direction is ready while
// edges > emptyAt: an edge came that no EAGAIN has disproved. A task reads the count, makes its
// syscall, and on EAGAIN waits "empty at that count": under the lock it raises `emptyAt`, and parks
// only if no edge came since. The driver, under the same lock, counts the edge and wakes every
// waiter of the direction; each retries its syscall, those that meet EAGAIN park again. A read
// that filled its buffer never clears readiness, so a reader that took part of the data leaves the
// rest signalled; a short read proves the socket drained and clears it as EAGAIN does (tokio's
// poll_read), so the read that would fail is never made — unless a hang-up was seen: the peer's
// FIN brings no further edge, so from then on only EAGAIN clears (tokio never clears its closed bits).
//
// Closed state and the fd number: every syscall on the fd runs pinned (`perform`): a pin is taken
// only while the registration is open, and the fd is closed by whoever drops the last pin. The
// owner (Driver.register → Driver.close) holds one pin, so close(2) runs after epoll and the table
// have forgotten the fd, and never while another thread's syscall is in flight: the number cannot
// be reused under a running read. After `close()`, no pin is granted: operations throw EBADF
// without touching the fd, and every waiter, present or later, gets `.closed`.
//
// Cancellation: a parked wait's cancellation handler removes its waiter and resumes it with
// `.cancelled`; a wait that finds its task already cancelled does not park. Nothing is consumed.
// A task `Runtime.spawn` started has one handler for all its waits (WaitSlot); others, one a wait.
// The wait is inlined into its caller with its cancellation record (`SwiftRuntime`'s fast path), so
// a task parked on an fd keeps one async frame for it (a parked echo connection's frames then fit
// the task allocator's first slab).
//
// The registration's key (EpollKey: fd and generation) is its epoll user data; the driver delivers
// an event only to the registration whose key it carries.
//
// An fd registered while events were off is announced (`fdRegistered`, owned by the task parking)
// at its first park with events on, so the viewer's fd table holds it from then on; the flag sits
// in the state's padding.

import RunvizLock
import RunvizSystem
import RunvizTelemetry
import Synchronization

final class Registration: Sendable {
    /// The fd and the generation that tells this registration from a later one on a reused fd number.
    let key: EpollKey

    /// How a wait ended: readiness to retry, the registration closed, or the waiting task cancelled.
    enum WaitResult: Sendable, Equatable {
        case ready
        case closed
        case cancelled
    }

    struct Waiter {
        let id: UInt64
        let task: UInt64
        let continuation: UnsafeContinuation<WaitResult, Never>
    }

    /// One direction's parked tasks, the edge count its last EAGAIN (or short read or write) saw,
    /// and which of them it was: what the step mode shows before the task parks.
    struct Direction {
        var emptyAt: UInt64 = 0
        var clearedBy: ReadinessProof?
        var waiters: [Waiter] = []

        /// Records a proof, made at edge count `edges`, that the direction is not ready.
        mutating func cleared(at edges: UInt64, by proof: ReadinessProof) {
            emptyAt = max(emptyAt, edges)
            clearedBy = proof
        }
    }

    struct State {
        var read = Direction()
        var write = Direction()
        /// The driver reported a hang-up (EPOLLRDHUP, EPOLLHUP or EPOLLERR): sticky.
        var hungUp = false
        /// An `fdRegistered` of this registration has been recorded.
        var announced = false

        /// One direction, changed in place: a get/set pair would copy the direction out and back,
        /// and its waiter array with it (a copy-on-write allocation on every park).
        subscript(_ interest: Interest) -> Direction {
            get { interest == .read ? read : write }
            _modify {
                if interest == .read { yield &read } else { yield &write }
            }
        }
    }
    let state: Lock<State>

    /// Edges the driver delivered, per direction: written under `state`'s lock, read without it
    /// before a syscall.
    private let readEdges = Atomic<UInt64>(0)
    private let writeEdges = Atomic<UInt64>(0)
    /// Bit 0: closed. The rest: pins, two per pin; the owner's pin is taken here.
    private let pins = Atomic<Int>(2)
    private let nextWaiter = Atomic<UInt64>(1)

    /// `announced`: its registration is being recorded (events are on).
    init(fd: Int32, generation: UInt32, announced: Bool = false) {
        key = EpollKey(fd: fd, generation: generation)
        state = Lock(State(announced: announced))
    }

    var fd: Int32 { key.fd }

    var isClosed: Bool { pins.load(ordering: .acquiring) & 1 != 0 }

    /// The direction's edge count, to read before a syscall and hand to `wait` or `sawEmpty` on EAGAIN.
    func edges(_ interest: Interest) -> UInt64 {
        interest == .read ? readEdges.load(ordering: .acquiring) : writeEdges.load(ordering: .acquiring)
    }

    /// Runs `body` with the fd pinned open; throws `call`: EBADF without calling it once closed.
    func perform<R>(_ call: String, _ body: (Int32) throws(SystemError) -> R) throws(SystemError) -> R {
        guard pin() else { throw .notOpen(call) }
        defer { unpin() }
        return try body(fd)
    }

    /// Whether the direction is ready: an edge came that no EAGAIN (or short read) has disproved.
    func isReady(_ interest: Interest) -> Bool {
        state.withLock { s in edges(interest) > s[interest].emptyAt }
    }

    /// Whether a syscall has proved the direction not ready since its last edge: the next try
    /// would answer EAGAIN, so an operation parks first (tokio's poll_read_ready). Before any
    /// proof (a new socket) it is not: the first try is the syscall.
    func isCleared(_ interest: Interest) -> Bool {
        state.withLock { s in s[interest].clearedBy != nil && edges(interest) <= s[interest].emptyAt }
    }

    /// Records an EAGAIN from a syscall made at edge count `edges`, without waiting.
    func sawEmpty(_ interest: Interest, at edges: UInt64) {
        state.withLock { s in s[interest].cleared(at: edges, by: .wouldBlock) }
    }

    /// Records a short read made at edge count `edges`: the socket was drained, unless the peer
    /// has hung up (its end of stream is still to be read, and no edge will announce it).
    func sawShortRead(at edges: UInt64) {
        state.withLock { s in
            if !s.hungUp { s.read.cleared(at: edges, by: .shortRead) }
        }
    }

    /// Records a short write made at edge count `edges`: the kernel's send buffer is full, and
    /// room in it brings a new edge (tokio's poll_write clears write readiness the same way),
    /// unless the peer has hung up (the next send fails at once, and no edge would come).
    func sawShortWrite(at edges: UInt64) {
        state.withLock { s in
            if !s.hungUp { s.write.cleared(at: edges, by: .shortWrite) }
        }
    }

    /// Parks the current task until the direction is ready, unless it already is; `emptyAt` is the
    /// edge count read before the syscall that answered EAGAIN (nil: the last recorded one).
    /// Inlined with its cancellation record into the caller: a parked connection's task keeps one
    /// async frame for the whole wait, so its frames fit the task allocator's first slab.
    /// A task `Runtime.spawn` started parks through its WaitSlot, whose one handler serves every
    /// wait; any other task registers a handler for this wait alone.
    @inline(__always)
    func wait(for interest: Interest, emptyAt edges: UInt64?, recorder: Recorder) async -> WaitResult {
        let id = nextWaiter.add(1, ordering: .relaxed).oldValue
        let task = TaskIdentity.current
        if let slot = WaitSlot.owned(by: task) {
            return await withUnsafeContinuation { (c: UnsafeContinuation<WaitResult, Never>) in
                park(c, id: id, task: task, slot: slot, for: interest, emptyAt: edges, recorder: recorder)
            }
        }
        return await SwiftRuntime.withCancellationHandler {
            await withUnsafeContinuation { (c: UnsafeContinuation<WaitResult, Never>) in
                park(c, id: id, task: task, slot: nil, for: interest, emptyAt: edges, recorder: recorder)
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    /// Parks `c` as waiter `id` unless the direction is ready, the registration closed, or the task
    /// cancelled (then `c` is resumed with that at once). With a slot, the place is written into it
    /// before the cancellation check (WaitSlot.swift says why).
    private func park(
        _ c: UnsafeContinuation<WaitResult, Never>, id: UInt64, task: UInt64, slot: WaitSlot?, for interest: Interest,
        emptyAt edges: UInt64?, recorder: Recorder
    ) {
        let now = state.withLock { s -> WaitResult? in
            if isClosed { return .closed }
            if let edges { s[interest].cleared(at: edges, by: .wouldBlock) }
            if self.edges(interest) > s[interest].emptyAt { return .ready }
            slot?.parking(on: self, waiter: id)
            // The flag is set before cancellation handlers run; checked under the lock, a
            // handler that found no waiter is followed by this check seeing it.
            if SwiftRuntime.isCurrentTaskCancelled() { return .cancelled }
            s[interest].waiters.append(Waiter(id: id, task: task, continuation: c))
            if !s.announced, recorder.enabled {
                s.announced = true
                recorder.record(
                    RuntimeEvent(
                        time: monotonicNow(), kind: .fdRegistered, task: task, worker: WorkerContext.currentIndex,
                        detail: UInt16(Interest([.read, .write]).rawValue), arg: UInt64(fd)))
            }
            recorder.parked(task, on: .io(fd: fd, interest: interest), clearedBy: s[interest].clearedBy, slot: slot)
            return nil
        }
        if let now { c.resume(returning: now) }
    }

    /// A cancelled wait's handler: removes waiter `id` and resumes it with `.cancelled` (nothing,
    /// if the driver or `close` already took it).
    func cancelWaiter(_ id: UInt64) {
        let waiter = state.withLock { s -> Waiter? in
            for direction in [Interest.read, .write] {
                if let i = s[direction].waiters.firstIndex(where: { $0.id == id }) {
                    return s[direction].waiters.remove(at: i)
                }
            }
            return nil
        }
        waiter?.continuation.resume(returning: .cancelled)
    }

    /// `wait`, as an operation reports it: returns when ready; throws `call`: EBADF when closed,
    /// CancellationError when cancelled.
    @inline(__always)
    func awaitReady(_ interest: Interest, emptyAt edges: UInt64?, _ call: String, recorder: Recorder) async throws {
        switch await wait(for: interest, emptyAt: edges, recorder: recorder) {
        case .ready: return
        case .closed: throw SystemError.notOpen(call)
        case .cancelled: throw CancellationError()
        }
    }

    /// An operation in the shape every blocking-style call has: `body` runs pinned and answers nil
    /// for EAGAIN; the task parks on `interest` between tries.
    func io<R>(
        _ interest: Interest, _ call: String, recorder: Recorder, _ body: (Int32) throws(SystemError) -> R?
    ) async throws -> R {
        while true {
            let edges = self.edges(interest)
            if let result = try perform(call, body) { return result }
            try await awaitReady(interest, emptyAt: edges, call, recorder: recorder)
        }
    }

    /// Called by the driver with the kernel's readiness; counts the edge and wakes every waiter of
    /// each direction it names (hangup: both).
    func ready(_ readiness: Interest, recorder: Recorder) {
        let hangup = readiness.contains(.hangup)
        let woken = state.withLock { s -> Woken in
            var woken = Woken()
            if hangup { s.hungUp = true }
            if readiness.contains(.read) || hangup {
                readEdges.add(1, ordering: .releasing)
                woken.take(&s.read.waiters)
            }
            if readiness.contains(.write) || hangup {
                writeEdges.add(1, ordering: .releasing)
                woken.take(&s.write.waiters)
            }
            return woken
        }
        if recorder.enabled {
            recorder.record(
                .fdReady, task: woken.firstTask, worker: WorkerContext.currentIndex,
                detail: UInt16(readiness.rawValue), arg: UInt64(fd))
        }
        woken.forEach { w in WakeCause.with(.io, UInt64(fd)) { w.continuation.resume(returning: .ready) } }
    }

    /// The waiters one readiness wakes, taken under the lock and resumed after it: the usual one or
    /// two (a connection's reader, its writer) held inline, so a wakeup allocates nothing.
    struct Woken {
        private var first: Waiter?
        private var second: Waiter?
        private var more: [Waiter] = []

        /// Moves every waiter out of `waiters`, which keeps its capacity for the next park. One at
        /// a time from the end: `removeAll(keepingCapacity:)` goes through `replaceSubrange`, about
        /// 65 instructions for the usual one waiter (callgrind, 2026-12-06).
        mutating func take(_ waiters: inout [Waiter]) {
            for waiter in waiters {
                if first == nil {
                    first = waiter
                } else if second == nil {
                    second = waiter
                } else {
                    more.append(waiter)
                }
            }
            while waiters.popLast() != nil {}
        }

        /// The first woken waiter's task, 0 when nobody waited.
        var firstTask: UInt64 { first?.task ?? 0 }

        func forEach(_ body: (Waiter) -> Void) {
            if let first { body(first) }
            if let second { body(second) }
            for waiter in more { body(waiter) }
        }
    }

    /// Marks the registration closed (no pin is granted from now on) and wakes every waiter with
    /// `.closed`; false if it already was. The fd stays open until `releaseOwner`.
    func close() -> Bool {
        let woken = state.withLock { s -> [Waiter]? in
            if pins.bitwiseOr(1, ordering: .acquiringAndReleasing).oldValue & 1 != 0 { return nil }
            defer {
                s.read.waiters = []
                s.write.waiters = []
            }
            return s.read.waiters + s.write.waiters
        }
        guard let woken else { return false }
        for w in woken { w.continuation.resume(returning: .closed) }
        return true
    }

    /// Drops the owner's pin, after `close()` and once epoll and the table no longer name the fd:
    /// the fd is closed now, or by the last syscall still in flight.
    func releaseOwner() { unpin() }

    private func pin() -> Bool {
        var value = pins.load(ordering: .relaxed)
        while value & 1 == 0 {
            let (exchanged, original) = pins.compareExchange(
                expected: value, desired: value + 2, ordering: .acquiring)
            if exchanged { return true }
            value = original
        }
        return false
    }

    private func unpin() {
        // Closed with no pin left: only after close, since the owner's pin keeps an open count above 0.
        if pins.subtract(2, ordering: .acquiringAndReleasing).newValue == 1 { try? Posix.close(fd) }
    }
}
