// Facts about the one thread start: the thread carries its name from the body's first line, a
// joinable thread is waited for (and a timed join says when it still runs), a detached one runs its
// body all the same, and a thread knows itself. Each body is a real OS thread; what it saw comes back
// through a Lock, whose hand-over ThreadSanitizer sees.

import CRunvizLinux
import Glibc
import RunvizLock
import Synchronization
import Testing

@testable import RunvizSystem

@Suite struct OSThreadTests {
    /// The calling thread's name, as /proc/thread-self/comm reads it.
    static func currentName() -> String {
        var buffer = [CChar](repeating: 0, count: 16)
        guard runviz_get_thread_name(&buffer) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }

    @Test func theThreadIsNamedBeforeItsBodyRuns() throws {
        let seen = Shared("")
        let thread = try OSThread.start(name: "runviz-test") { seen.set(Self.currentName()) }
        thread.join()
        #expect(seen.get() == "runviz-test")
    }

    @Test func aNameLongerThanTheKernelKeepsIsCutAtFifteenBytes() throws {
        let seen = Shared("")
        let thread = try OSThread.start(name: "runviz-a-very-long-name") { seen.set(Self.currentName()) }
        thread.join()
        #expect(seen.get() == "runviz-a-very-l")
    }

    @Test func aTimedJoinReportsAThreadThatStillRuns() throws {
        let release = Atomic<Bool>(false)
        let thread = try OSThread.start(name: "runviz-held") {
            while !release.load(ordering: .acquiring) { usleep(1000) }
        }
        #expect(!thread.join(timeoutNanos: 20_000_000))
        release.store(true, ordering: .releasing)
        #expect(thread.join(timeoutNanos: 10_000_000_000))
    }

    @Test func aDetachedThreadRunsItsBodyUnderItsName() throws {
        let seen = Shared("")
        try OSThread.startDetached(name: "runviz-detached") { seen.set(Self.currentName()) }
        let deadline = runviz_now_ns() + 10_000_000_000
        while seen.get().isEmpty && runviz_now_ns() < deadline { usleep(1000) }
        #expect(seen.get() == "runviz-detached")
    }

    @Test func theCurrentThreadIsTheOneStarted() throws {
        let inside = Shared<OSThread?>(nil)
        let thread = try OSThread.start(name: "runviz-self") { inside.set(OSThread.current) }
        thread.join()
        #expect(inside.get() == thread)
        #expect(OSThread.current != thread)
    }
}

/// A value handed between a test and its thread, through RunvizLock's Lock.
final class Shared<Value: Sendable>: Sendable {
    private let lock: Lock<Value>
    init(_ value: Value) { lock = Lock(value) }
    func get() -> Value { lock.withLock { $0 } }
    func set(_ value: Value) { lock.withLock { $0 = value } }
}
