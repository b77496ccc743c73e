// Facts about a wake from a thread of no task: a runviz task suspended on a continuation that a
// plain thread resumes (as a NIO event loop or a C callback does) is scheduled with the source
// "other" and, as its argument, the resuming thread's kernel name, interned once per thread
// (ForeignThread); a resume from inside a task still names the task.

import Foundation
import RunvizLock
import RunvizObservation
import RunvizSystem
import RunvizTelemetry
import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct ForeignWakeTests {
    /// Resumes `continuation` from a new thread named `name`, 50 ms later.
    static func resume(_ continuation: CheckedContinuation<Void, Never>, fromThreadNamed name: String) {
        try? OSThread.startDetached(name: name) {
            // Past the task's suspension: a resume that beats it is no wake at all (the task
            // goes on without being scheduled).
            usleep(50_000)
            continuation.resume()
        }
    }

    @Test func aContinuationResumedByAPlainThreadNamesTheThread() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let merger = EventMerger(hub: rt.telemetry)
        let h = rt.spawn(name: "waiter") { () -> UInt64 in
            await withCheckedContinuation { Self.resume($0, fromThreadNamed: "resumer-7") }
            await withCheckedContinuation { Self.resume($0, fromThreadNamed: "resumer-8") }
            return Runtime.currentTask.raw
        }
        let task = try rt.blockOn { try await h.value }
        var seen: [RuntimeEvent] = []
        #expect(
            eventually {
                seen += merger.drain()
                return seen.filter { $0.kind == .scheduled && $0.task == task }.count >= 3
            })
        let wakes = seen.filter { $0.kind == .scheduled && $0.task == task && $0.detail == WakeSource.other.rawValue }
        let threads = wakes.compactMap { ForeignThread.nameID(in: $0.arg) }.map { rt.telemetry.names.name($0) }
        #expect(threads == ["resumer-7", "resumer-8"])
    }

    @Test func aResumeFromInsideATaskStillNamesTheTask() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let merger = EventMerger(hub: rt.telemetry)
        let parked = Lock<CheckedContinuation<Void, Never>?>(nil)
        let waiter = rt.spawn(name: "waiter") { () -> UInt64 in
            await withCheckedContinuation { c in parked.withLock { $0 = c } }
            return Runtime.currentTask.raw
        }
        let resumer = rt.spawn(name: "resumer") { () -> UInt64 in
            var continuation: CheckedContinuation<Void, Never>?
            while continuation == nil {
                continuation = parked.withLock { $0 }
                if continuation == nil { try? await rt.sleep(for: .milliseconds(1)) }
            }
            // Past the waiter's suspension, as above.
            try? await rt.sleep(for: .milliseconds(50))
            continuation?.resume()
            return Runtime.currentTask.raw
        }
        let (task, by) = try rt.blockOn { (try await waiter.value, try await resumer.value) }
        let isOtherWake = { (e: RuntimeEvent) in
            e.kind == .scheduled && e.task == task && e.detail == WakeSource.other.rawValue
        }
        var seen: [RuntimeEvent] = []
        #expect(
            eventually {
                seen += merger.drain()
                return seen.contains(where: isOtherWake)
            })
        let wake = try #require(seen.first(where: isOtherWake))
        #expect(wake.arg == by)
        #expect(ForeignThread.nameID(in: wake.arg) == nil)
    }
}
