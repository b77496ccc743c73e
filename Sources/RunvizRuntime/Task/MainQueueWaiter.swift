// How `blockOn` waits on the main thread: in poll() on two fds, its own eventfd (the task finished,
// or shutdown woke it) and Dispatch's main-queue fd, running the main queue's work on this thread
// whenever that fd turns readable, as CoreFoundation's run loop does on Linux and as an `async main`
// does by handing the main thread to Dispatch. On Swift 6.3.1 main-actor jobs go to Dispatch's main
// queue, which nothing else drains while a synchronous main waits: without this, the first hop to
// `@MainActor` inside `blockOn` would never run.
//
// Only where draining is sound (`make` says nil otherwise, and the caller parks as before): on the
// main thread, outside any task (a main-actor job calling `blockOn` must not run other main-actor
// jobs inside itself), with a libdispatch that has the entry points. Not known from here: whether
// the caller is itself a block Dispatch runs on the main queue; `blockOn` there is not supported.

import CRunvizLinux
import Glibc
import RunvizSystem

final class MainQueueWaiter: Sendable {
    private let wakeFD: Int32
    private let mainQueueFD: Int32

    private init(wakeFD: Int32, mainQueueFD: Int32) {
        self.wakeFD = wakeFD
        self.mainQueueFD = mainQueueFD
    }

    /// A waiter for this thread, if it is the main thread outside a task and the main queue can be
    /// drained from here.
    static func make() -> MainQueueWaiter? {
        guard runviz_gettid() == getpid() else { return nil }
        guard withUnsafeCurrentTask(body: { $0 == nil }) else { return nil }
        let mainQueueFD = SwiftRuntime.mainQueueFD
        guard mainQueueFD >= 0, let wakeFD = try? EventFD.create() else { return nil }
        return MainQueueWaiter(wakeFD: wakeFD, mainQueueFD: mainQueueFD)
    }

    deinit { _ = Glibc.close(wakeFD) }

    /// Makes the next (or current) `wait` return.
    func wake() { try? EventFD.signal(wakeFD) }

    /// Sleeps until `wake`, running the main queue's work each time it has some.
    func wait() {
        while true {
            var fds = [
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: mainQueueFD, events: Int16(POLLIN), revents: 0),
            ]
            guard Glibc.poll(&fds, 2, -1) > 0 else { continue }  // EINTR: poll again
            if fds[1].revents != 0 {
                try? EventFD.drain(mainQueueFD)
                SwiftRuntime.drainMainQueue()
            }
            if fds[0].revents != 0 {
                try? EventFD.drain(wakeFD)
                return
            }
        }
    }
}
