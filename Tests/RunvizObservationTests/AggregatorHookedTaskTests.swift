// A task runviz did not start, as the runtime records it when installed as the global executor: its
// first scheduling names the task that was running (`other`), its first run opens with `spawned`
// (its `Task(name:)` name or its kind, its parent) at the run's own time, no `parked` when it
// suspends, and `completed` inside the run that ends it. The aggregator must read that as a named
// child that ends, not as a parked `other` task that stays listed and counted alive. On a global
// executor a task is a Swift task with no JoinHandle of runviz's: nobody is said not to await it.

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct AggregatorHookedTaskTests {
    @Test func aHookedChildIsNamedLinkedToItsParentAndEndsWithItsCompletion() throws {
        let s = Script()
        s.spawned(3, "checkout", at: Script.at(500))
        s.scheduled(9, .other, arg: 3, queue: 0, at: Script.at(1_000))
        s.spawned(9, "async let", at: Script.at(1_500), parent: 3)
        s.runStarted(9, worker: 0, at: Script.at(1_500))
        s.runFinished(9, worker: 0, at: Script.at(1_800))
        let suspended = s.snapshot(at: Script.at(1_900))
        let child = try #require(suspended.task(TaskID(9)))
        #expect(child.name == "async let")
        #expect(child.parent == TaskID(3))
        #expect(child.spawnedAt == Script.at(1_500))
        #expect(child.state == .parked(.other))

        s.scheduled(9, .other, queue: RuntimeEvent.injectQueue, at: Script.at(2_000), ring: 1)
        s.runStarted(9, worker: 1, at: Script.at(2_100))
        s.completed(9, worker: 1, at: Script.at(2_300))
        s.runFinished(9, worker: 1, at: Script.at(2_300))
        let ended = s.snapshot(at: Script.at(2_400))
        let done = try #require(ended.task(TaskID(9)))
        #expect(done.state == .completed)
        #expect(done.polls == 2)
        #expect(ended.taskCounts.recentlyFinished == suspended.taskCounts.recentlyFinished + 1)
        #expect(ended.taskCounts.alive == suspended.taskCounts.alive - 1)
        #expect(ended.taskCounts.parked[.other, default: 0] == 0)
    }

    /// `launch` on the global executor: a spawned task's `async let` children are sighted as child
    /// tasks. Each is its parent's child, awaited by it (no handle held, nobody said not to await it);
    /// the parent, parked on what the runtime does not own, is parked on its children, and neither it
    /// nor a child suspended out of runviz's sight is a lost waker.
    @Test func aSightedChildIsItsParentsAndAwaitedByIt() throws {
        let s = Script()
        s.spawned(3, "join-demo", at: Script.at(100))
        s.scheduled(3, .spawn, queue: 0, at: Script.at(100))
        s.runStarted(3, worker: 0, at: Script.at(200))
        for (child, at) in [(UInt64(4), UInt64(300)), (5, 400)] {
            s.scheduled(child, .other, arg: 3, queue: 0, at: Script.at(at))
        }
        s.runFinished(3, worker: 0, at: Script.at(500))
        s.sighted(4, "async let", at: Script.at(600), parent: 3)
        s.runStarted(4, worker: 0, at: Script.at(600))
        s.parked(4, on: .timer(deadline: Script.at(300_000_000)), worker: 0, at: Script.at(700))
        s.runFinished(4, worker: 0, at: Script.at(800))
        s.sighted(5, "async let", at: Script.at(900), parent: 3, worker: 1)
        s.runStarted(5, worker: 1, at: Script.at(900))
        s.runFinished(5, worker: 1, at: Script.at(1_000))
        let later = s.publish(at: Script.at(3_000_000_000))
        let parent = try #require(later.snapshot.task(TaskID(3)))
        #expect(parent.state == .parked(.other))
        #expect(parent.liveChildren == 2)
        for id in [TaskID(4), TaskID(5)] {
            let child = try #require(later.snapshot.task(id))
            #expect(child.isChild && child.parent == TaskID(3) && child.name == "async let")
            #expect(child.handle == .noHandle)
        }
        #expect(later.snapshot.task(TaskID(5))?.state == .parked(.other))
        #expect(!later.lints.contains { $0.kind == .lostWaker }, "\(later.lints)")
        // A child silent on `other` for 10 s had its end missed: it stops holding its parent.
        let silent = s.snapshot(at: Script.at(12_000_000_000))
        #expect(silent.task(TaskID(5)) == nil)
        #expect(silent.task(TaskID(3))?.liveChildren == 1)
        // A task sighted with no parent (a `Task {}`) is no child, whoever created it.
        s.scheduled(6, .other, arg: 3, queue: 0, at: Script.at(12_000_000_050))
        s.sighted(6, "Task {}", at: Script.at(12_000_000_100))
        // One created inside an actor's job (no task running) is spawned too, with no parent.
        s.scheduled(7, .other, arg: 0, queue: 0, at: Script.at(12_000_000_150))
        let end = s.snapshot(at: Script.at(12_000_000_200))
        let plain = try #require(end.task(TaskID(6)))
        #expect(!plain.isChild && plain.handle == .held)
        let fromActor = try #require(end.task(TaskID(7)))
        #expect(fromActor.wakes == 0 && fromActor.parent == nil && fromActor.state == .notYetPolled)
    }

    @Test func aGlobalExecutorsTaskHasNoJoinHandleUntilSeenAwaited() throws {
        for globalExecutor in [false, true] {
            let s = Script(globalExecutor: globalExecutor)
            s.spawned(5, "Task {}", at: Script.at(100))
            s.scheduled(5, .spawn, queue: 0, at: Script.at(100))
            s.runStarted(5, worker: 0, at: Script.at(200))
            s.completed(5, worker: 0, at: Script.at(300))
            s.runFinished(5, worker: 0, at: Script.at(300))
            let task = try #require(s.snapshot(at: Script.at(400)).task(TaskID(5)))
            #expect(task.handle == (globalExecutor ? .noHandle : .held), "global executor: \(globalExecutor)")
        }
    }

    /// A late viewer's catch-up sends a live task's spawn without its runs: a task sighted at its
    /// first run is then suspended on something, not waiting to start since then (no starvation).
    @Test func aSightedTaskWithNoRunsAfterIsParkedNotWaitingToStart() throws {
        let s = Script(globalExecutor: true)
        s.sighted(5, "Server.run() closure · group child", at: Script.at(100))
        let later = s.publish(at: Script.at(100 + 5_000_000_000))
        let task = try #require(later.snapshot.task(TaskID(5)))
        #expect(task.state == .parked(.other))
        #expect(later.lints.isEmpty)
        // Live, its wake came first and its run follows: it runs, as any task.
        s.scheduled(6, .other, arg: 5, queue: 0, at: Script.at(200))
        s.sighted(6, "routes() closure · group child", at: Script.at(300), parent: 5)
        s.runStarted(6, worker: 0, at: Script.at(300))
        let running = try #require(s.snapshot(at: Script.at(400)).task(TaskID(6)))
        #expect(running.state == .running(worker: 0))
    }
}
