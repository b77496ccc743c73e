// One fd registered with the reactor, and the tasks waiting on it. Registered once, edge-triggered
// (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET), as tokio does: no epoll_ctl per wait. A waiting task
// stores its continuation here (that is its interest: the reactor's record of who to wake); the
// driver sets the readiness flag and resumes the waiter.
//
// Readiness protocol (no lost wakeups): a task retries its syscall until EAGAIN, then under the
// lock: if the flag is set (an edge arrived since), clear it and retry; otherwise park. The driver,
// under the same lock, sets the flag or hands the edge to the parked waiter.
//
// The registration's key (EpollKey: fd and generation) is its epoll user data; the driver delivers
// an event only to the registration whose key it carries.

import RunvizTelemetry
import Synchronization

final class Registration: Sendable {
    /// The fd and the generation that tells this registration from a later one on a reused fd number.
    let key: EpollKey
    struct State {
        var readable = false
        var writable = false
        var readWaiter: UnsafeContinuation<Void, Never>?
        var writeWaiter: UnsafeContinuation<Void, Never>?
        var readWaiterTask: UInt64 = 0
        var writeWaiterTask: UInt64 = 0
        var closed = false
    }
    let state = Mutex(State())

    init(fd: Int32, generation: UInt32) { key = EpollKey(fd: fd, generation: generation) }

    var fd: Int32 { key.fd }

    /// Parks the current task until the reactor reports `interest`, unless an edge already arrived.
    func wait(for interest: Interest, recorder: Recorder) async {
        let task = TaskIdentity.current
        await withUnsafeContinuation { (cont: UnsafeContinuation<Void, Never>) in
            let parkNow = state.withLock { s -> Bool in
                if s.closed { return false }
                if interest == .read {
                    if s.readable {
                        s.readable = false
                        return false
                    }
                    s.readWaiter = cont
                    s.readWaiterTask = task
                } else {
                    if s.writable {
                        s.writable = false
                        return false
                    }
                    s.writeWaiter = cont
                    s.writeWaiterTask = task
                }
                recorder.parked(task, on: .io(fd: fd, interest: interest))
                return true
            }
            if !parkNow { cont.resume() }
        }
    }

    /// Called by the driver with the kernel's readiness; wakes whoever waits.
    func ready(_ readiness: Interest, recorder: Recorder) {
        var wakeRead: UnsafeContinuation<Void, Never>?
        var wakeWrite: UnsafeContinuation<Void, Never>?
        var readTask: UInt64 = 0
        var writeTask: UInt64 = 0
        state.withLock { s in
            if readiness.contains(.read) || readiness.contains(.hangup) {
                if let w = s.readWaiter {
                    wakeRead = w
                    readTask = s.readWaiterTask
                    s.readWaiter = nil
                } else {
                    s.readable = true
                }
            }
            if readiness.contains(.write) || readiness.contains(.hangup) {
                if let w = s.writeWaiter {
                    wakeWrite = w
                    writeTask = s.writeWaiterTask
                    s.writeWaiter = nil
                } else {
                    s.writable = true
                }
            }
        }
        if recorder.enabled {
            recorder.record(
                .fdReady, task: readTask != 0 ? readTask : writeTask, worker: WorkerContext.currentIndex,
                detail: UInt16(readiness.rawValue), arg: UInt64(fd))
        }
        if let w = wakeRead { WakeCause.with(.io, UInt64(fd)) { w.resume() } }
        if let w = wakeWrite { WakeCause.with(.io, UInt64(fd)) { w.resume() } }
    }

    /// Marks the registration closed and wakes every waiter for good; false if it already was.
    func close() -> Bool {
        let taken = state.withLock { s -> (Bool, UnsafeContinuation<Void, Never>?, UnsafeContinuation<Void, Never>?) in
            if s.closed { return (false, nil, nil) }
            s.closed = true
            defer {
                s.readWaiter = nil
                s.writeWaiter = nil
            }
            return (true, s.readWaiter, s.writeWaiter)
        }
        taken.1?.resume()
        taken.2?.resume()
        return taken.0
    }

    var isClosed: Bool { state.withLock { $0.closed } }
}
