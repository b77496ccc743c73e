// Facts about JoinHandles and finished tasks in the model: a handle awaited by t7 reads awaited by
// t7, through the task's end and for the retention time after it, then the task is gone; a handle
// dropped unawaited marks the live task and stays on it once it ends; a spawned task with no handle
// event holds its handle, a child has none; a join park alone (a format 1 recording) names the
// awaiter too; and however many tasks end, the finished ones kept stay bounded, the newest kept.

import RunvizTelemetry
import Testing

@testable import RunvizObservation

@Suite struct AggregatorHandlesTests {
    /// Task `id` ("name") spawned at `at`, run once on worker 0 and parked on a timer.
    func spawnAndPark(_ s: Script, _ id: UInt64, _ name: String, at: UInt64) {
        s.spawned(id, name, at: Script.at(at))
        s.scheduled(id, .spawn, at: Script.at(at + 10))
        s.runStarted(id, worker: 0, at: Script.at(at + 20))
        s.parked(id, on: .timer(deadline: Script.at(1_000_000_000)), worker: 0, at: Script.at(at + 30))
        s.runFinished(id, worker: 0, at: Script.at(at + 40))
    }

    @Test func anAwaitedTaskReadsItsAwaiterThroughItsEndAndTheRetentionAfter() throws {
        let s = Script()
        spawnAndPark(s, 7, "waiter", at: 1_000)
        spawnAndPark(s, 9, "target", at: 2_000)
        s.handleAwaited(9, by: 7, at: Script.at(3_000))
        #expect(s.snapshot(at: Script.at(3_500)).task(TaskID(9))?.handle == .awaited(by: TaskID(7)))
        s.scheduled(9, .timer, at: Script.at(4_000))
        s.runStarted(9, worker: 1, at: Script.at(4_100))
        s.completed(9, worker: 1, at: Script.at(4_200))
        s.runFinished(9, worker: 1, at: Script.at(4_300))
        let done = try #require(s.snapshot(at: Script.at(5_000)).task(TaskID(9)))
        #expect(done.state == .completed)
        #expect(done.since == Script.at(4_200))
        #expect(done.handle == .awaited(by: TaskID(7)))
        let retention = s.aggregator.finishedRetention
        #expect(retention == 10_000_000_000)
        let late = s.snapshot(at: Script.at(4_200 + retention))
        #expect(late.task(TaskID(9))?.handle == .awaited(by: TaskID(7)))
        #expect(late.taskCounts.recentlyFinished == 1)
        let gone = s.snapshot(at: Script.at(4_201 + retention))
        #expect(gone.task(TaskID(9)) == nil)
        #expect(gone.taskCounts.recentlyFinished == 0)
    }

    @Test func aDroppedHandleMarksTheLiveTaskAndStaysOnceItEnds() throws {
        let s = Script()
        spawnAndPark(s, 12, "demo-1", at: 1_000)
        s.handleDropped(12, at: Script.at(1_100))
        #expect(s.snapshot(at: Script.at(2_000)).task(TaskID(12))?.handle == .dropped)
        s.scheduled(12, .timer, at: Script.at(3_000))
        s.runStarted(12, worker: 0, at: Script.at(3_100))
        s.cancelled(12, worker: 0, at: Script.at(3_200))
        s.runFinished(12, worker: 0, at: Script.at(3_300))
        let ended = try #require(s.snapshot(at: Script.at(4_000)).task(TaskID(12)))
        #expect(ended.state == .cancelled)
        #expect(ended.handle == .dropped)
        // A late drop of a handle that was awaited changes nothing.
        spawnAndPark(s, 13, "demo-2", at: 5_000)
        s.handleAwaited(13, by: 0, at: Script.at(5_100))
        s.handleDropped(13, at: Script.at(5_200))
        #expect(s.snapshot(at: Script.at(6_000)).task(TaskID(13))?.handle == .awaited(by: .none))
    }

    @Test func aSpawnedTaskHoldsItsHandleUntilToldAndAChildHasNone() throws {
        let s = Script()
        spawnAndPark(s, 7, "parent", at: 1_000)
        // A task first seen scheduled from inside t7's job, with no cause: t7's child.
        s.scheduled(8, .other, arg: 7, at: Script.at(2_000))
        let snapshot = s.snapshot(at: Script.at(3_000))
        #expect(snapshot.task(TaskID(7))?.handle == .held)
        #expect(snapshot.task(TaskID(7))?.spawnedAt == Script.at(1_000))
        #expect(snapshot.task(TaskID(8))?.handle == .noHandle)
        #expect(snapshot.task(TaskID(8))?.isChild == true)
    }

    @Test func aJoinParkAloneNamesTheAwaiter() {
        let s = Script()
        spawnAndPark(s, 5, "target", at: 1_000)
        s.spawned(21, "joiner", at: Script.at(2_000))
        s.runStarted(21, worker: 1, at: Script.at(2_100))
        s.parked(21, on: .join(TaskID(5)), worker: 1, at: Script.at(2_200))
        s.runFinished(21, worker: 1, at: Script.at(2_300))
        #expect(s.snapshot(at: Script.at(3_000)).task(TaskID(5))?.handle == .awaited(by: TaskID(21)))
    }

    @Test func finishedTasksKeptStayBoundedNewestFirst() throws {
        let s = Script()
        s.aggregator.finishedKept = 50
        var t: UInt64 = 1_000
        for batch in 0..<6 {
            for i in 0..<60 {
                let id = UInt64(100 + batch * 60 + i)
                s.spawned(id, "short", at: Script.at(t))
                s.completed(id, worker: 0, at: Script.at(t + 1))
                t += 10
            }
            _ = s.snapshot(at: Script.at(t))
        }
        let snapshot = s.snapshot(at: Script.at(t))
        #expect(snapshot.taskCounts.recentlyFinished == 50)
        #expect(snapshot.tasks.count == 50)
        #expect(snapshot.tasks.map(\.id.raw) == Array(410...459), "the 50 that ended last")
        #expect(s.aggregator.tasks.count == 50, "the model holds no more than it lists")
    }
}
