// Facts about the Aggregator's model, from scripted event sequences with explicit times: a task that
// parks on a socket read shows as parked on that fd and owns it; readiness on the fd yields exactly
// one wakeup chain (source, fd, queued behind k, worker, latency); completion; rings merge by time;
// a task never run is "new"; a yield or a wake during a run leaves the task queued; finished tasks
// are evicted after the retention time; the chain list is bounded; dropped events are reported.

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct AggregatorTests {
    @Test func aTaskParkedOnASocketReadIsParkedOnThatFdAndOwnsIt() throws {
        let s = Script()
        s.readerParksOnRead()
        let snap = s.snapshot(at: Script.at(3_000))
        let reader = try #require(snap.task(TaskID(7)))
        #expect(reader.name == "reader")
        #expect(reader.state == .parked(.io(fd: 12, interest: .read)))
        #expect("\(ParkReason.io(fd: 12, interest: .read))" == "fd 12 read")
        #expect(reader.since == Script.at(2_500))
        #expect(reader.polls == 1)
        #expect(reader.wakes == 0)
        #expect(reader.busyNanos == 500)
        #expect(reader.lastSchedulingLatencyNanos == 900)
        #expect(reader.lastWorker == 0)
        #expect(reader.parent == nil)
        #expect(
            snap.fds == [FDSnapshot(fd: 12, interest: .read, owner: TaskID(7), ownerName: "reader", timesReady: 0)])
        #expect(snap.wakeups.isEmpty, "a spawn is not a wakeup chain")
        #expect(snap.taskCounts.parked == [.io: 1])
        #expect(snap.taskCounts.alive == 1)
        #expect(snap.queuedTasks.isEmpty)
        #expect(snap.totals.events == 6)
        #expect(snap.totals.wakes == 1)
    }

    @Test func readinessOnTheFdGivesExactlyOneWakeupChain() throws {
        let s = Script()
        s.readerParksOnRead()
        _ = s.snapshot(at: Script.at(3_000))
        s.readerWokenByReadiness()
        let snap = s.snapshot(at: Script.at(5_100))
        #expect(snap.wakeups.count == 1)
        let chain = try #require(snap.wakeups.first)
        #expect(chain.source == .io)
        #expect(chain.sourceArgument == 12)
        #expect(chain.readiness == .read)
        #expect(chain.task == TaskID(7))
        #expect(chain.taskName == "reader")
        #expect(chain.queuedBehind == 3)
        #expect(chain.worker == 1)
        #expect(chain.latencyNanos == 900, "runStarted.time − scheduled.time")
        #expect(chain.wokenAt == Script.at(4_100))

        let reader = try #require(snap.task(TaskID(7)))
        #expect(reader.state == .running(worker: 1))
        #expect(reader.polls == 2)
        #expect(reader.wakes == 1)
        #expect(reader.lastWorker == 1)
        #expect(reader.lastSchedulingLatencyNanos == 900)
        let fd = try #require(snap.fds.first { $0.fd == 12 })
        #expect(fd.timesReady == 1)
        #expect(fd.lastReady == Script.at(4_000))
        #expect(fd.interest == [], "the edge consumed the read interest")
        #expect(fd.owner == TaskID(7))
    }

    @Test func completionEndsTheTaskAndDeregistrationRemovesTheFd() throws {
        let s = Script()
        s.readerParksOnRead()
        s.readerWokenByReadiness()
        s.fdDeregistered(12, by: 7, at: Script.at(5_300), ring: 1)
        s.completed(7, worker: 1, at: Script.at(5_500))
        s.runFinished(7, worker: 1, at: Script.at(5_600))
        let snap = s.snapshot(at: Script.at(6_000))
        let reader = try #require(snap.task(TaskID(7)))
        #expect(reader.state == .completed)
        #expect(reader.since == Script.at(5_500))
        #expect(reader.busyNanos == 500 + 600)
        #expect(snap.fds.isEmpty)
        #expect(snap.taskCounts.alive == 0)
        #expect(snap.wakeups.count == 1)
    }

    /// Events switched on while a task spawned without them runs: its events make it a nameless
    /// task until its first park names it; it stays as old as its first event, with no parent.
    @Test func aTaskAnnouncedLateIsNamedAndKeepsWhatItsEventsSaid() throws {
        let s = Script()
        s.scheduled(7, .io, arg: 12, queue: 0, at: Script.at(1_000))
        s.runStarted(7, worker: 0, at: Script.at(2_000))
        let before = try #require(s.snapshot(at: Script.at(2_100)).task(TaskID(7)))
        #expect(before.name == "task")
        s.announcedLate(7, "echo-conn", at: Script.at(2_200))
        s.parked(7, on: .io(fd: 12, interest: .read), worker: 0, at: Script.at(2_200))
        s.runFinished(7, worker: 0, at: Script.at(2_300))
        let after = try #require(s.snapshot(at: Script.at(2_400)).task(TaskID(7)))
        #expect(after.name == "echo-conn")
        #expect(after.state == .parked(.io(fd: 12, interest: .read)))
        #expect(after.spawnedAt == Script.at(1_000))
        #expect(after.parent == nil)
        #expect(after.polls == 1)

        // First seen woken by another task's job (a continuation it resumed): taken at first for a
        // child of that task, it is none once named.
        s.scheduled(8, .other, arg: 7, queue: 0, at: Script.at(3_000))
        s.runStarted(8, worker: 0, at: Script.at(3_100))
        #expect(s.snapshot(at: Script.at(3_150)).task(TaskID(8))?.parent == TaskID(7))
        s.announcedLate(8, "echo-conn", at: Script.at(3_200))
        s.runFinished(8, worker: 0, at: Script.at(3_300))
        let named = try #require(s.snapshot(at: Script.at(3_400)).task(TaskID(8)))
        #expect(named.name == "echo-conn")
        #expect(named.parent == nil)
        #expect(named.spawnedAt == Script.at(3_000))
    }

    @Test func finishedTasksAreEvictedAfterTheRetentionTime() {
        let s = Script()
        s.spawned(3, "short", at: Script.at(0))
        s.scheduled(3, .spawn, at: Script.at(10))
        s.runStarted(3, worker: 0, at: Script.at(20))
        s.completed(3, worker: 0, at: Script.at(30))
        s.runFinished(3, worker: 0, at: Script.at(40))
        let retention = s.aggregator.finishedRetention
        #expect(s.snapshot(at: Script.at(30 + retention)).task(TaskID(3))?.state == .completed)
        #expect(s.snapshot(at: Script.at(31 + retention)).task(TaskID(3)) == nil)
    }

    @Test func eventsFromTwoRingsInterleaveByTime() throws {
        let s = Script()
        s.aggregator.follow(TaskID(5))
        // Worker 0's ring: spawn, run, end of run. Ring 1: the two enqueues, between and after.
        s.spawned(5, "merged", at: Script.at(10))
        s.runStarted(5, worker: 0, at: Script.at(30))
        s.runFinished(5, worker: 0, at: Script.at(50))
        s.scheduled(5, .spawn, queue: 1, at: Script.at(20), ring: 1)
        s.scheduled(5, .task, arg: 9, queue: 1, at: Script.at(60), ring: 1)
        let published = s.publish(at: Script.at(100))
        let snap = published.snapshot
        let timeline = try #require(published.timeline)
        #expect(timeline.entries.map(\.time) == [10, 20, 30, 50, 60].map(Script.at))
        let task = try #require(snap.task(TaskID(5)))
        // Only a merge by time sees the enqueue at 20 before the run at 30.
        #expect(task.lastSchedulingLatencyNanos == 10)
        #expect(task.state == .queued)
        #expect(task.since == Script.at(60))
        #expect(task.wakes == 1)
    }

    @Test func aTaskScheduledButNeverRunIsNotYetPolled() throws {
        let s = Script()
        s.spawned(4, "lazy", at: Script.at(0))
        s.scheduled(4, .spawn, ahead: 2, at: Script.at(100))
        let snap = s.snapshot(at: Script.at(1_100))
        let task = try #require(snap.task(TaskID(4)))
        #expect(task.state == .notYetPolled)
        #expect(task.state.word == "new")
        #expect(task.polls == 0)
        #expect(snap.taskCounts.notYetPolled == 1)
        #expect(snap.taskCounts.queued == 0)
        #expect(snap.queuedTasks == [QueuedTask(id: TaskID(4), name: "lazy", worker: nil, waitingNanos: 1_000)])
    }

    @Test func aYieldDuringTheRunLeavesTheTaskQueuedAfterItEnds() throws {
        let s = Script()
        s.spawned(6, "yielder", at: Script.at(0))
        s.scheduled(6, .spawn, at: Script.at(10))
        s.runStarted(6, worker: 0, at: Script.at(20))
        s.scheduled(6, .yield, queue: 0, at: Script.at(30))
        s.runFinished(6, worker: 0, at: Script.at(40))
        let snap = s.snapshot(at: Script.at(50))
        let task = try #require(snap.task(TaskID(6)))
        #expect(task.state == .queued)
        #expect(task.since == Script.at(30))
        #expect(task.wakes == 0, "a yield is not a wake")
        #expect(snap.taskCounts.queued == 1)
        #expect(snap.taskCounts.parkedTotal == 0)
        #expect(snap.queuedTasks.first?.worker == 0)

        s.runStarted(6, worker: 0, at: Script.at(70))
        let after = s.snapshot(at: Script.at(80))
        #expect(after.task(TaskID(6))?.state == .running(worker: 0))
        #expect(after.wakeups.map(\.source) == [.yield])
        #expect(after.wakeups.first?.latencyNanos == 40)
    }

    @Test func aWakeThatRacesTheParkRecordLeavesTheTaskQueued() throws {
        let s = Script()
        s.spawned(8, "racer", at: Script.at(0))
        s.scheduled(8, .spawn, at: Script.at(10))
        s.runStarted(8, worker: 0, at: Script.at(20))
        // The waker ran on worker 1 before worker 0 recorded the park.
        s.scheduled(8, .task, arg: 2, queue: 1, at: Script.at(25), ring: 1)
        s.parked(8, on: .channel(id: 3, sending: false), worker: 0, at: Script.at(30))
        s.runFinished(8, worker: 0, at: Script.at(40))
        let task = try #require(s.snapshot(at: Script.at(50)).task(TaskID(8)))
        #expect(task.state == .queued)
        #expect(task.wakes == 1)
    }

    @Test func aRunThatEndsWithoutAParkRecordIsParkedOnOther() throws {
        let s = Script()
        s.spawned(9, "actor-hop", at: Script.at(0))
        s.scheduled(9, .spawn, at: Script.at(10))
        s.runStarted(9, worker: 1, at: Script.at(20))
        s.runFinished(9, worker: 1, at: Script.at(40))
        let snap = s.snapshot(at: Script.at(50))
        #expect(snap.task(TaskID(9))?.state == .parked(.other))
        #expect(snap.taskCounts.parked == [.other: 1])
    }

    @Test func theChildOfASpawnNamesItsParent() throws {
        let s = Script()
        s.spawned(1, "parent", at: Script.at(0))
        s.spawned(2, "child", at: Script.at(5), parent: 1)
        let snap = s.snapshot(at: Script.at(10))
        #expect(snap.task(TaskID(2))?.parent == TaskID(1))
        #expect(snap.task(TaskID(1))?.parent == nil)
        #expect(snap.tasks.map(\.id) == [TaskID(1), TaskID(2)])
    }

    @Test func theWakeupChainListKeepsTheLatest64() {
        let s = Script()
        s.spawned(11, "pinger", at: Script.at(0))
        var t: UInt64 = 10
        for i in 0..<70 {
            s.scheduled(11, .task, arg: UInt64(i), at: Script.at(t))
            s.runStarted(11, worker: 0, at: Script.at(t + 5))
            s.runFinished(11, worker: 0, at: Script.at(t + 6))
            t += 10
        }
        let snap = s.snapshot(at: Script.at(t))
        #expect(snap.wakeups.count == 64)
        #expect(snap.wakeups.first?.sourceArgument == 6)
        #expect(snap.wakeups.last?.sourceArgument == 69)
        #expect(snap.wakeups.allSatisfy { $0.taskName == "pinger" && $0.latencyNanos == 5 })
    }

    @Test func eventsAFullRingDroppedAreReportedInTheTotals() {
        let hub = TelemetryHub(workerCount: 1, ringCapacity: 64)
        let ring = hub.makeRing(label: "worker-0")
        for i in 0..<100 { ring.record(RuntimeEvent(time: UInt64(i + 1), kind: .workerParked, worker: 0)) }
        var aggregator = Aggregator(
            configuration: ConfigurationSummary(
                workers: 1, maxBlockingThreads: 1, blockedThresholdNanos: 1, instrumentation: true), startedAt: 0)
        let events = EventMerger(hub: hub).drain()
        #expect(events.count == 64)
        aggregator.apply(events)
        let snap = aggregator.publish(now: 200, counters: hub.readCounters(), names: hub.names.all()).snapshot
        #expect(snap.totals.droppedEvents == 36)
        #expect(snap.totals.events == 64)
    }
}
