// What the Aggregator makes of the parks the runtime reads for a task it did not start (recorded
// at the end of the task's run, before `runFinished`): the task is parked on that reason, an
// actor's park is named from the interned names, a thread's wake of a continuation says what the
// task waited on, a wait on another task marks that task awaited, and a task ends once even when
// its end is recorded twice (a worker and the actor watch both saw it).

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct HookedWaitTests {
    @Test func aContinuationParkIsWokenByANamedThread() throws {
        let s = Script()
        s.spawned(3, "fetch", at: Script.at(0))
        s.scheduled(3, .spawn, at: Script.at(10))
        s.runStarted(3, worker: 0, at: Script.at(20))
        s.parked(3, on: .continuation, worker: 0, at: Script.at(40))
        s.runFinished(3, worker: 0, at: Script.at(41))
        let parked = s.snapshot(at: Script.at(50))
        #expect(parked.task(TaskID(3))?.state == .parked(.continuation))
        #expect(parked.task(TaskID(3))?.parkedOn == "continuation")
        #expect(parked.taskCounts.parked == [.continuation: 1])
        let thread = s.hub.names.intern("NIO-ELT-0-#1")
        s.scheduled(3, .other, arg: ForeignThread.argument(nameID: thread), at: Script.at(60), ring: 1)
        s.runStarted(3, worker: 1, at: Script.at(70))
        let chain = try #require(s.snapshot(at: Script.at(80)).wakeups.last)
        #expect(chain.parkedOn == .continuation)
        #expect(chain.wakerThread == "NIO-ELT-0-#1")
    }

    @Test func anActorParkIsNamedAndATaskParkMarksItsTargetAwaited() throws {
        let s = Script()
        let inventory = s.hub.names.intern("Inventory")
        s.spawned(4, "Task {}", at: Script.at(0))
        s.spawned(5, "async let", at: Script.at(1), parent: 4)
        s.runStarted(5, worker: 0, at: Script.at(20))
        s.parked(5, on: .actor(name: inventory), worker: 0, at: Script.at(30))
        s.runFinished(5, worker: 0, at: Script.at(31))
        s.runStarted(4, worker: 1, at: Script.at(32))
        s.parked(4, on: .join(TaskID(5)), worker: 1, at: Script.at(33))
        s.runFinished(4, worker: 1, at: Script.at(34))
        let snap = s.snapshot(at: Script.at(40))
        #expect(snap.task(TaskID(5))?.parkedOn == "actor Inventory")
        #expect(snap.task(TaskID(5))?.handle == .awaited(by: TaskID(4)))
        #expect(snap.task(TaskID(4))?.parkedOn == "join t5")
        #expect(snap.taskCounts.parked == [.actor: 1, .join: 1])
    }

    @Test func aTaskEndsOnceThoughItsEndIsRecordedTwice() throws {
        let s = Script()
        s.spawned(6, "Task {}", at: Script.at(0))
        s.runStarted(6, worker: 0, at: Script.at(10))
        s.runFinished(6, worker: 0, at: Script.at(20))
        s.completed(6, worker: 0, at: Script.at(30))
        s.completed(6, worker: 1, at: Script.at(5_000))
        let task = try #require(s.snapshot(at: Script.at(6_000)).task(TaskID(6)))
        #expect(task.state == .completed)
        #expect(task.since == Script.at(30))
    }
}
