// The socket side of runviz's two small poll(2) servers (the metrics endpoint, the telemetry
// endpoint), each on a thread of its own so it answers while the observed runtime is stalled: a
// listener, an eventfd that wakes the thread, and one pollfd per connection. What a connection
// says, and when it expires, is each server's; the turn is shared:
//   1. `wait` polls the eventfd, the listener (unless paused) and each connection's interest;
//   2. the server serves the connections whose `revents(ofConnection:)` are set, by the index it
//      gave them in `wait`, and expires what is past its deadline;
//   3. `acceptAll` takes every pending connection (accept4 until none is left).
// Out of descriptors (or of kernel memory) the listener stays readable, so a loop that polled it
// again at once would spin: each server says what to do then (`OutOfDescriptors`).
//
// Threads: `wakeUp` is for any thread (it reads `let`s only); everything else is the server
// thread's. `close` closes the listener and the eventfd, once the thread has ended.

import Glibc

package final class PollServer: @unchecked Sendable {
    /// What the server does when accept4 runs out of descriptors or kernel memory.
    package enum OutOfDescriptors: Sendable {
        /// The thread sleeps this long, then polls on (the listener stays in the poll set).
        case nap(microseconds: UInt32)
        /// The listener leaves the poll set this long; the connections are still served.
        case pauseListener(nanoseconds: UInt64)
    }

    package let listener: Int32
    package let wake: Int32
    private let outOfDescriptors: OutOfDescriptors
    private var listenerPausedUntil: UInt64 = 0
    /// The last `wait`'s poll set: the eventfd, the listener, then one per connection.
    private var fds: [pollfd] = []

    /// A server on `listener` (a non-blocking listening socket, which it closes in `close`), with
    /// an eventfd of its own. Throws when no eventfd can be made; the listener is then the caller's.
    package init(listener: Int32, outOfDescriptors: OutOfDescriptors) throws(SystemError) {
        self.listener = listener
        self.outOfDescriptors = outOfDescriptors
        wake = try EventFD.create()
    }

    /// Wakes the server thread out of its `wait` (any thread).
    package func wakeUp() { try? EventFD.signal(wake) }

    /// Polls for up to `timeoutMillis`: the eventfd, the listener unless accepting is paused at
    /// `now`, and each of `interests` (a connection's fd and the events it waits for, in the order
    /// `revents(ofConnection:)` is then asked by). False when poll failed for another reason than
    /// a signal: the server cannot go on.
    package func wait(
        for interests: some Sequence<(fd: Int32, events: Int16)>, timeoutMillis: Int32, now: UInt64
    ) -> Bool {
        fds.removeAll(keepingCapacity: true)
        fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
        fds.append(pollfd(fd: listener, events: now >= listenerPausedUntil ? Int16(POLLIN) : 0, revents: 0))
        for interest in interests { fds.append(pollfd(fd: interest.fd, events: interest.events, revents: 0)) }
        return poll(&fds, nfds_t(fds.count), timeoutMillis) >= 0 || errno == EINTR
    }

    /// Whether the last `wait` saw the eventfd signalled (`drainWake` resets it).
    package var woken: Bool { fds[0].revents != 0 }

    /// Whether the last `wait` saw a connection pending on the listener.
    package var acceptable: Bool { fds[1].revents != 0 }

    /// What the last `wait` saw on the `index`th connection it was given.
    package func revents(ofConnection index: Int) -> Int16 { fds[index + 2].revents }

    /// Resets the eventfd, so the next `wait` sleeps until the next `wakeUp`.
    package func drainWake() { try? EventFD.drain(wake) }

    /// Hands `body` every connection pending on the listener (non-blocking, close-on-exec fds that
    /// are the caller's from then on), until none is left or accepting fails; out of descriptors
    /// or memory, it applies the server's `OutOfDescriptors` first.
    package func acceptAll(now: UInt64, _ body: (Int32) -> Void) {
        while true {
            do {
                guard let fd = try Posix.accept(listener) else { return }
                body(fd)
            } catch {
                guard error.isOutOfFileDescriptors || error.errno == ENOBUFS || error.errno == ENOMEM else { return }
                switch outOfDescriptors {
                case .nap(let microseconds): usleep(microseconds)
                case .pauseListener(let nanoseconds): listenerPausedUntil = now + nanoseconds
                }
                return
            }
        }
    }

    /// Closes the listener and the eventfd (once the server thread has ended).
    package func close() {
        try? Posix.close(listener)
        try? Posix.close(wake)
    }
}
