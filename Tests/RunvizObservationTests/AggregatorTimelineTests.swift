// Facts about following a task: after `follow(task)` each publication's timeline holds the followed
// task's steps in order, here the step-mode sequence of a socket read (run → interest registered →
// park → end of run → fd ready → queued → run → completed; a park on an fd is what registers the
// interest), with poll and latency percentiles; other tasks' steps stay out; `follow(nil)` stops;
// the timeline keeps the task's name after its record is gone; a wake by another task names it.

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct AggregatorTimelineTests {
    typealias Step = TaskTimeline.Entry.Step

    @Test func followingASocketReadGivesEveryStepInOrder() throws {
        let s = Script()
        s.aggregator.follow(TaskID(7))
        s.readerParksOnRead(7, fd: 12)
        // Another task's events in between stay out of the timeline.
        s.spawned(50, "noise", at: Script.at(3_000))
        s.scheduled(50, .spawn, at: Script.at(3_100))
        s.readerWokenByReadiness(7, fd: 12)
        s.completed(7, worker: 1, at: Script.at(5_400))
        s.runFinished(7, worker: 1, at: Script.at(5_700))
        let timeline = try #require(s.publish(at: Script.at(6_000)).timeline)
        #expect(timeline.task == TaskID(7))
        #expect(timeline.name == "reader")
        let expected: [Step] = [
            .spawned,
            .scheduled(source: .spawn, queuedBehind: 0),
            .runStarted(worker: 0),
            .interestRegistered(fd: 12, interest: .read),
            .parked(.io(fd: 12, interest: .read)),
            .runFinished(worker: 0, nanos: 500),
            .fdReady(fd: 12, readiness: .read),
            .scheduled(source: .io, queuedBehind: 3),
            .runStarted(worker: 1),
            .completed,
            .runFinished(worker: 1, nanos: 700),
        ]
        #expect(timeline.entries.map(\.step) == expected)
        let times: [UInt64] = [1_000, 1_100, 2_000, 2_300, 2_300, 2_500, 4_000, 4_100, 5_000, 5_400, 5_700]
        #expect(timeline.entries.map(\.time) == times.map(Script.at))
        // Polls of 500 and 700 ns (nearest rank: p50 is the smaller); latencies of 900 ns twice.
        #expect(timeline.pollPercentiles == [500, 700, 700])
        #expect(timeline.latencyPercentiles == [900, 900, 900])
    }

    /// A wake by another task (a channel send, an unlock) names that task in the timeline.
    @Test func aWakeByAnotherTaskNamesIt() throws {
        let s = Script()
        s.aggregator.follow(TaskID(7))
        s.spawned(7, "consumer", at: Script.at(1_000))
        s.scheduled(7, .task, arg: 9, ahead: 1, at: Script.at(2_000))
        let timeline = try #require(s.publish(at: Script.at(3_000)).timeline)
        #expect(timeline.entries.last?.step == .scheduled(source: .task, queuedBehind: 1, by: TaskID(9)))
    }

    /// A child's first enqueue from inside its parent's job is its spawn, not a wake; its end, a
    /// wake of no named cause from inside its job, wakes the parent by the child's name.
    @Test func aChildsCreationIsItsSpawnAndItsEndWakesItsParentByName() throws {
        let s = Script()
        s.aggregator.follow(TaskID(9))
        s.spawned(3, "join-demo", at: Script.at(500))
        s.scheduled(9, .other, arg: 3, ahead: 1, at: Script.at(1_000))
        s.sighted(9, "async let", at: Script.at(1_500), parent: 3)
        s.runStarted(9, worker: 0, at: Script.at(1_500))
        s.scheduled(3, .other, arg: 9, at: Script.at(1_700))
        s.scheduled(9, .other, arg: 9, at: Script.at(1_800))
        let publication = s.publish(at: Script.at(2_000))
        let timeline = try #require(publication.timeline)
        #expect(
            timeline.entries.map(\.step) == [
                .scheduled(source: .spawn, queuedBehind: 1), .runStarted(worker: 0),
                .scheduled(source: .other, queuedBehind: 0),
            ])
        #expect(publication.snapshot.task(TaskID(9))?.wakes == 1, "its creation is no wake; its own hop is")
        s.aggregator.follow(TaskID(3))
        s.scheduled(3, .other, arg: 9, at: Script.at(2_100))
        let parent = try #require(s.publish(at: Script.at(2_200)).timeline)
        #expect(parent.entries.last?.step == .scheduled(source: .other, queuedBehind: 0, by: TaskID(9)))
    }

    @Test func aParkAfterAShortReadShowsTheReadinessItClearedBeforeTheWaker() throws {
        let s = Script()
        s.aggregator.follow(TaskID(7))
        s.spawned(7, "reader", at: Script.at(1_000))
        s.runStarted(7, worker: 0, at: Script.at(2_000))
        s.parked(7, on: .io(fd: 12, interest: .read), clearedBy: .shortRead, worker: 0, at: Script.at(2_300))
        s.runFinished(7, worker: 0, at: Script.at(2_500))
        let timeline = try #require(s.publish(at: Script.at(3_000)).timeline)
        let expected: [Step] = [
            .spawned, .runStarted(worker: 0), .readinessCleared(fd: 12, interest: .read, by: .shortRead),
            .interestRegistered(fd: 12, interest: .read), .parked(.io(fd: 12, interest: .read)),
            .runFinished(worker: 0, nanos: 500),
        ]
        #expect(timeline.entries.map(\.step) == expected)
        let reason = try #require(s.publish(at: Script.at(3_100)).snapshot.tasks.first { $0.id == TaskID(7) })
        #expect(reason.state == .parked(.io(fd: 12, interest: .read)), "the proof does not change what it waits on")
    }

    @Test func onlyStepsAfterFollowAreRecordedAndFollowNilStops() throws {
        let s = Script()
        s.readerParksOnRead(7, fd: 12)
        #expect(s.publish(at: Script.at(3_000)).timeline == nil, "nothing followed yet")

        s.aggregator.follow(TaskID(7))
        s.readerWokenByReadiness(7, fd: 12)
        let timeline = try #require(s.publish(at: Script.at(5_100)).timeline)
        let steps: [Step] = [
            .fdReady(fd: 12, readiness: .read), .scheduled(source: .io, queuedBehind: 3), .runStarted(worker: 1),
        ]
        #expect(timeline.entries.map(\.step) == steps)

        s.aggregator.follow(nil)
        #expect(s.aggregator.followed == nil)
        #expect(s.publish(at: Script.at(5_200)).timeline == nil)
    }

    @Test func aFinishedTaskKeepsItsNameAfterItsRecordIsEvicted() throws {
        let s = Script()
        s.aggregator.follow(TaskID(7))
        s.readerParksOnRead(7, fd: 12)
        s.readerWokenByReadiness(7, fd: 12)
        s.completed(7, worker: 1, at: Script.at(5_400))
        s.runFinished(7, worker: 1, at: Script.at(5_700))
        #expect(s.publish(at: Script.at(6_000)).timeline?.name == "reader")
        let later = s.publish(at: Script.at(6_000 + s.aggregator.finishedRetention))
        #expect(later.snapshot.task(TaskID(7)) == nil, "the finished task's record is evicted")
        #expect(try #require(later.timeline).name == "reader")
        s.aggregator.follow(TaskID(8))
        #expect(s.publish(at: Script.at(7_000 + s.aggregator.finishedRetention)).timeline?.name == "t8")
    }

    @Test func aFollowedTaskThatIsNotKnownYetIsNamedByItsId() throws {
        let s = Script()
        s.aggregator.follow(TaskID(99))
        let timeline = try #require(s.publish(at: Script.at(0)).timeline)
        #expect(timeline.name == "t99")
        #expect(timeline.entries.isEmpty)
        #expect(timeline.pollPercentiles.isEmpty)
    }
}
