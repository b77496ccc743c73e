// What a JoinHandle reports, read from the raw events: awaiting it records who awaits it (and parks
// that task on the join while the task runs); blockOn's thread awaits its task as task 0; the last
// copy of a handle nobody awaited records one `handleDropped` when it goes, whether the task still
// runs or has ended; an awaited handle is never reported dropped; `isFinished` follows the task.

import Foundation
import RunvizObservation
import RunvizRuntime
import RunvizTelemetry
import RunvizTestSupport
import Synchronization
import Testing

@Suite struct JoinHandleTests {
    /// Every event recorded so far, drained until `condition` holds on them (or 5 s pass).
    func events(_ merger: EventMerger, until condition: ([RuntimeEvent]) -> Bool) -> [RuntimeEvent] {
        var seen: [RuntimeEvent] = []
        let deadline = Date().addingTimeInterval(5)
        repeat {
            seen += merger.drain()
            if condition(seen) { break }
            usleep(2_000)
        } while Date() < deadline
        return seen
    }

    func count(_ events: [RuntimeEvent], _ kind: RuntimeEvent.Kind, task: TaskID, arg: UInt64? = nil) -> Int {
        events.filter { $0.kind == kind && $0.task == task.raw && (arg == nil || $0.arg == arg) }.count
    }

    @Test func awaitingAHandleRecordsWhoAwaitsIt() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let merger = EventMerger(hub: rt.telemetry)
        let target = rt.spawn(name: "target") { () -> Int in
            try await rt.sleep(for: .milliseconds(50))
            return 7
        }
        let waiter = rt.spawn(name: "waiter") { try await target.value }
        let main = Atomic<UInt64>(0)
        let value = try rt.blockOn {
            main.store(Runtime.currentTask.raw, ordering: .relaxed)
            return try await waiter.value
        }
        #expect(value == 7)
        let all = events(merger) { count($0, .completed, task: waiter.id) == 1 }
        #expect(count(all, .handleAwaited, task: target.id, arg: waiter.id.raw) == 1)
        let join = ParkReason.join(target.id).encoded
        #expect(all.contains { $0.kind == .parked && $0.task == waiter.id.raw && $0.arg == join.arg })
        let mainTask = TaskID(main.load(ordering: .relaxed))
        #expect(count(all, .handleAwaited, task: waiter.id, arg: mainTask.raw) == 1)
        #expect(count(all, .handleAwaited, task: mainTask, arg: 0) == 1, "blockOn's thread awaits its task")
        #expect(!all.contains { $0.kind == .handleDropped }, "every handle here was awaited")
        #expect(target.isFinished && waiter.isFinished)
    }

    @Test func droppingAHandleNobodyAwaitedRecordsItOnce() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let merger = EventMerger(hub: rt.telemetry)
        let release = Atomic<Bool>(false)
        var running = TaskID.none
        do {
            let handle = rt.spawn(name: "forgotten") {
                while !release.load(ordering: .relaxed) { try await rt.sleep(for: .milliseconds(1)) }
            }
            let copy = handle
            running = copy.id
            #expect(!handle.isFinished)
        }
        // Dropped while its task still runs: the task runs on, nobody will see its result.
        var all = events(merger) { count($0, .handleDropped, task: running) == 1 }
        #expect(count(all, .handleDropped, task: running) == 1, "two copies, one drop")
        #expect(!all.contains { $0.kind == .completed && $0.task == running.raw })
        release.store(true, ordering: .relaxed)

        // Dropped after its task ended: reported all the same.
        var ended = TaskID.none
        do {
            let handle = rt.spawn(name: "quick") {}
            ended = handle.id
            #expect(eventually { handle.isFinished })
        }
        all += events(merger) {
            count($0, .handleDropped, task: ended) == 1 && count($0, .completed, task: running) == 1
        }
        #expect(count(all, .completed, task: ended) == 1)
        #expect(count(all, .handleDropped, task: ended) == 1)
        #expect(count(all, .handleDropped, task: running) == 1)
    }
}
