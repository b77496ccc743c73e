// Facts about Aggregator.publish, fed events and counter readings by hand (no hub): a reading with a
// blocked worker gives lints that carry its numbers (worker, task, name, how long), and after the
// episode ends the remembered lint says how long it lasted and how long ago it ended; publishing
// twice at the same instant gives the same publication; the instrumentation flag comes from the
// reading; the worker-only path agrees with the snapshot; a copied aggregator compares equal and
// diverges after one more event.

import Testing

@testable import RunvizTelemetry

@Suite struct AggregatorPublishTests {
    static let ms: UInt64 = 1_000_000
    static let t0: UInt64 = 1_000_000_000_000
    let names = ["", "blocker"]

    func aggregator() -> Aggregator {
        var a = Aggregator(
            configuration: ConfigurationSummary(
                workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10 * Self.ms, instrumentation: true),
            startedAt: Self.t0)
        a.apply([
            RuntimeEvent(time: Self.t0 + 10, kind: .spawned, task: 7, extra: 1),
            RuntimeEvent(
                time: Self.t0 + 20, kind: .scheduled, task: 7, worker: 0, detail: UInt16(WakeSource.spawn.rawValue)),
            RuntimeEvent(time: Self.t0 + 30, kind: .runStarted, task: 7, worker: 0),
        ])
        return a
    }

    /// Worker 0 has run task 7's job since `t0 + 30`; worker 1 is parked.
    func reading(blocked: Bool = true, eventsEnabled: Bool = true) -> CounterReading {
        CounterReading(
            workers: [
                .init(
                    index: 0, runs: 1, activity: blocked ? .running : .searching, currentTask: blocked ? 7 : 0,
                    jobStartedAt: blocked ? Self.t0 + 30 : 0),
                .init(index: 1, activity: .parked),
            ], eventsEnabled: eventsEnabled)
    }

    @Test func aBlockedWorkerGivesLintsWithItsNumbers() {
        var a = aggregator()
        let now = Self.t0 + 30 + 150 * Self.ms
        let p = a.publish(now: now, counters: reading(), names: names)
        #expect(p.snapshot.workers[0].state == .blocked(TaskID(7), name: "blocker", forNanos: 150 * Self.ms))
        #expect(
            p.lints == [
                Lint(kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 150 * Self.ms),
                Lint(kind: .longPoll, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 150 * Self.ms),
            ])
    }

    @Test func anEndedBlockIsRememberedWithItsLengthAndAge() {
        var a = aggregator()
        _ = a.publish(now: Self.t0 + 30 + 150 * Self.ms, counters: reading(), names: names)
        a.apply(RuntimeEvent(time: Self.t0 + 30 + 160 * Self.ms, kind: .runFinished, task: 7, worker: 0))
        let later = a.publish(now: Self.t0 + 30 + 400 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(
            later.lints == [
                Lint(
                    kind: .longPoll, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 160 * Self.ms,
                    endedAgoNanos: 240 * Self.ms),
                Lint(
                    kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 150 * Self.ms,
                    endedAgoNanos: 250 * Self.ms),
            ])
    }

    @Test func publishingTwiceAtOneInstantGivesTheSamePublication() {
        var a = aggregator()
        let now = Self.t0 + 30 + 150 * Self.ms
        let first = a.publish(now: now, counters: reading(), names: names)
        let second = a.publish(now: now, counters: reading(), names: names)
        #expect(first == second)
        #expect(!first.lints.isEmpty)
    }

    @Test func theInstrumentationFlagComesFromTheReading() {
        var a = aggregator()
        #expect(
            a.publish(now: Self.t0 + 40, counters: reading(eventsEnabled: false), names: names).snapshot.configuration
                .instrumentation == false)
        #expect(
            a.publish(now: Self.t0 + 50, counters: reading(eventsEnabled: true), names: names).snapshot.configuration
                .instrumentation)
    }

    @Test func theWorkerOnlyPathAgreesWithTheSnapshot() {
        var a = aggregator()
        let now = Self.t0 + 2_000 * Self.ms
        let p = a.publish(now: now, counters: reading(), names: names)
        #expect(a.workers(now: now, counters: reading(), names: names) == p.snapshot.workers)
    }

    @Test func aCopyComparesEqualAndDivergesAfterOneMoreEvent() {
        let a = aggregator()
        var b = a
        #expect(a == b)
        b.apply(RuntimeEvent(time: Self.t0 + 40, kind: .runFinished, task: 7, worker: 0))
        #expect(a != b)
        var c = a
        c.apply(RuntimeEvent(time: Self.t0 + 40, kind: .runFinished, task: 7, worker: 0))
        #expect(b == c, "the same events give the same state")
    }
}
