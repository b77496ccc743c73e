// TimerSlack: the kernel may end a thread's timed wait up to its timer slack late (50 µs by default), which
// would add about that much to nearly every paced start of a load worker. A thread inherits the slack of
// the thread that created it, and without prctl (variadic, so not callable from Swift) the only handle is
// /proc/<pid>/timerslack_ns, which names the main thread. So the main thread tightens its own slack while
// it creates the load threads and puts the old value back right after.
//
// Best effort: called from any other thread, or without that file (Linux < 4.6), nothing changes and the
// workers keep the default slack.

import CRunvizLinux
import Glibc

/// The main thread's timer slack, tightened for the threads it is about to create.
struct TimerSlack {
    static let path = "/proc/self/timerslack_ns"
    static let tightNs = "1000"
    /// The slack to put back, as the file gave it.
    private let previous: String

    /// Sets the calling thread's slack to 1 µs if it is the main thread; nil when nothing was changed.
    static func tightenForNewThreads() -> TimerSlack? {
        guard runviz_gettid() == getpid(), let previous = read(), previous != tightNs else { return nil }
        guard write(tightNs) else { return nil }
        return TimerSlack(previous: previous)
    }

    /// Puts the previous slack back (idempotent).
    func restore() {
        _ = TimerSlack.write(previous)
    }

    private static func read() -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).filter { $0.isNumber }
        return text.isEmpty ? nil : text
    }

    private static func write(_ value: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }
}
