// Facts about the Aggregator's lints, from scripted events: a named task parked on something the
// runtime does not own (or on an fd that left the reactor) past the threshold has lost its waker; a task
// queued longer than the starvation threshold is starving, now and for a while after it ran; a
// healthy run (parked on a registered fd, on a timer, completed, briefly queued) raises nothing. On a
// global executor a task parked on other is the program's ordinary wait (a continuation, an actor,
// another thread), never a lost waker.

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct AggregatorLintsTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aNamedTaskParkedOnOtherPastTheThresholdHasLostItsWaker() throws {
        let s = Script(thresholds: Aggregator.Thresholds(lostWaker: Self.second))
        s.spawned(21, "stuck", at: Script.at(0))
        s.scheduled(21, .spawn, at: Script.at(10))
        s.runStarted(21, worker: 0, at: Script.at(20))
        s.runFinished(21, worker: 0, at: Script.at(100))

        #expect(s.publish(at: Script.at(100 + Self.second)).lints.isEmpty, "not past the threshold yet")

        let lints = s.publish(at: Script.at(100 + 2 * Self.second)).lints
        #expect(lints.map(\.kind) == [.lostWaker])
        let lint = try #require(lints.first)
        #expect(lint.task == TaskID(21))
        #expect(lint.taskName == "stuck")
        #expect(lint.nanos == 2 * Self.second)
        #expect(lint.parkReason == .other)
        #expect(lint.endedAgoNanos == nil, "it holds now")
    }

    @Test func onAGlobalExecutorATaskParkedOnOtherHasNotLostItsWaker() {
        let s = Script(thresholds: Aggregator.Thresholds(lostWaker: Self.second), globalExecutor: true)
        s.spawned(21, "task group child", at: Script.at(0))
        s.scheduled(21, .spawn, at: Script.at(10))
        s.runStarted(21, worker: 0, at: Script.at(20))
        s.runFinished(21, worker: 0, at: Script.at(100))
        #expect(s.publish(at: Script.at(100 + 5 * Self.second)).lints.isEmpty)
    }

    @Test func aTaskParkedOnAnFdThatLeftTheReactorHasLostItsWaker() {
        let s = Script(thresholds: Aggregator.Thresholds(lostWaker: Self.second))
        s.spawned(22, "orphan-reader", at: Script.at(0))
        s.scheduled(22, .spawn, at: Script.at(10))
        s.runStarted(22, worker: 0, at: Script.at(20))
        s.fdRegistered(40, by: 22, at: Script.at(25))
        s.parked(22, on: .io(fd: 40, interest: .read), worker: 0, at: Script.at(30))
        s.runFinished(22, worker: 0, at: Script.at(40))
        #expect(s.publish(at: Script.at(40 + 3 * Self.second)).lints.isEmpty, "fd 40 can wake it")
        // Someone else deregisters the fd: nothing is left that could wake the reader.
        s.fdDeregistered(40, by: 0, at: Script.at(50 + 3 * Self.second), ring: 1)
        let lints = s.publish(at: Script.at(60 + 3 * Self.second)).lints
        #expect(lints.map(\.kind) == [.lostWaker])
        #expect(lints.first?.task == TaskID(22))
        #expect(lints.first?.parkReason == .io(fd: 40, interest: .read))
    }

    @Test func aHealthyRunRaisesNoLint() {
        let s = Script(thresholds: Aggregator.Thresholds(lostWaker: Self.second))
        // Parked on a registered fd for 5 s: the reactor can wake it.
        s.readerParksOnRead(7, fd: 12)
        // Parked on a timer for 5 s.
        s.spawned(23, "sleeper", at: Script.at(3_000))
        s.scheduled(23, .spawn, at: Script.at(3_100))
        s.runStarted(23, worker: 0, at: Script.at(3_200))
        s.parked(23, on: .timer(deadline: Script.at(10 * Self.second)), worker: 0, at: Script.at(3_300))
        s.runFinished(23, worker: 0, at: Script.at(3_400))
        // Queued 1 ms, ran, completed.
        s.spawned(24, "quick", at: Script.at(4_000), ring: 1)
        s.scheduled(24, .spawn, queue: 1, at: Script.at(5_000), ring: 1)
        s.runStarted(24, worker: 1, at: Script.at(1_005_000))
        s.completed(24, worker: 1, at: Script.at(1_006_000))
        s.runFinished(24, worker: 1, at: Script.at(1_007_000))
        // Queued 10 ms so far, under the starvation threshold.
        s.spawned(25, "waiting", at: Script.at(5 * Self.second - 10_000_000), ring: 1)
        s.scheduled(25, .spawn, queue: 1, at: Script.at(5 * Self.second - 10_000_000), ring: 1)

        let published = s.publish(at: Script.at(5 * Self.second))
        let snap = published.snapshot
        #expect(snap.task(TaskID(7))?.state == .parked(.io(fd: 12, interest: .read)))
        #expect(snap.task(TaskID(23))?.state == .parked(.timer(deadline: Script.at(10 * Self.second))))
        #expect(snap.task(TaskID(25))?.state == .notYetPolled)
        #expect(published.lints == [])
    }

    @Test func aTaskQueuedLongerThanTheThresholdIsStarving() throws {
        let ms: UInt64 = 1_000_000
        let s = Script(thresholds: Aggregator.Thresholds(starvation: 50 * ms))
        s.spawned(31, "hungry", at: Script.at(0))
        s.scheduled(31, .spawn, queue: 0, at: Script.at(0))

        #expect(s.publish(at: Script.at(40 * ms)).lints.isEmpty)

        let starving = s.publish(at: Script.at(60 * ms))
        #expect(starving.snapshot.queuedTasks.first?.waitingNanos == 60 * ms)
        let now = starving.lints
        #expect(now == [Lint(kind: .starvation, task: TaskID(31), taskName: "hungry", nanos: 60 * ms)])

        // It runs after 70 ms in the queue: the lint is remembered after the fact.
        s.runStarted(31, worker: 0, at: Script.at(70 * ms))
        let ran = s.publish(at: Script.at(80 * ms))
        #expect(ran.snapshot.task(TaskID(31))?.state == .running(worker: 0))
        #expect(ran.snapshot.queuedTasks.isEmpty)
        #expect(
            ran.lints == [
                Lint(
                    kind: .starvation, task: TaskID(31), taskName: "hungry", worker: 0, nanos: 70 * ms,
                    endedAgoNanos: 10 * ms)
            ])
    }
}
