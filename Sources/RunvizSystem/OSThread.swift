// The one way runviz starts an OS thread (SwiftNIO's `ThreadOpsPosix.run`): the body crosses the C
// boundary in a retained box the new thread takes back, so nothing leaks when the start fails and
// nothing is freed before the thread has it. The thread names itself before the body runs, so every
// line of the body (and every event it records) is already under that name; a nil name leaves the
// naming to the body. A joinable thread is joined once, or detached once; a detached one is neither.

import CRunvizLinux
import Glibc

/// A started OS thread: its pthread handle, joinable unless it was started detached.
package struct OSThread: Hashable, Sendable {
    package let handle: UInt64

    /// Starts a joinable thread named `name` (at most 15 bytes are kept) running `body`, with a
    /// stack of `stackBytes` (0: the default, 8 MiB). Throws pthread_create's error.
    package static func start(
        name: String?, stackBytes: Int = 0, _ body: @escaping () -> Void
    ) throws(SystemError) -> OSThread {
        var handle: UInt64 = 0
        let box = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        let rc = runviz_thread_start(&handle, stackBytes, Body.main, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemError("pthread_create", errno: rc)
        }
        return OSThread(handle: handle)
    }

    /// Starts a detached thread (nobody joins it; its resources go when it returns).
    package static func startDetached(
        name: String?, stackBytes: Int = 0, _ body: @escaping () -> Void
    ) throws(SystemError) {
        let box = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        let rc = runviz_thread_start_detached(stackBytes, Body.main, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemError("pthread_create", errno: rc)
        }
    }

    /// The calling thread.
    package static var current: OSThread { OSThread(handle: UInt64(pthread_self())) }

    /// Waits for the thread to end.
    package func join() { _ = runviz_thread_join(handle) }

    /// Waits up to `timeoutNanos` for the thread to end: false when it still runs (still unjoined).
    package func join(timeoutNanos: Int64) -> Bool { runviz_thread_join_timeout(handle, timeoutNanos) == 0 }

    /// Lets the thread's resources go when it ends, for a thread nobody will join.
    package func detach() { _ = runviz_thread_detach(handle) }

    /// What the new thread runs: retained by the starter, taken back (and released) by the thread.
    private final class Body {
        let name: String?
        let run: () -> Void
        init(name: String?, _ run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }

        static let main: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            if let name = body.name { runviz_set_thread_name(name) }
            body.run()
            return nil
        }
    }
}
