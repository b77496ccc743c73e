// Facts about Aggregator.publish, fed events and counter readings by hand (no hub): a reading with a
// blocked worker gives lints that carry its numbers (worker, task, name, how long), and after the
// episode ends the remembered lint says how long ago it ended and how long it lasted: the job's full
// length, the same as its long poll's, whether it was seen live, only through the watchdog's report,
// or reported late; a wait on a blocking lock is remembered as one, and under the blocked threshold
// raises nothing; publishing
// twice at the same instant gives the same publication; the instrumentation flag comes from the
// reading; the worker-only path agrees with the snapshot; a copied aggregator compares equal and
// diverges after one more event.

import Testing

@testable import RunvizObservation
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

    /// Worker 0 has run task 7's job since `t0 + 30` (`onLock`: it waits for a blocking lock); worker 1
    /// is parked.
    func reading(blocked: Bool = true, onLock: Bool = false, eventsEnabled: Bool = true) -> CounterReading {
        CounterReading(
            workers: [
                .init(
                    index: 0, runs: 1, activity: blocked ? (onLock ? .blockedOnLock : .running) : .searching,
                    currentTask: blocked ? 7 : 0, jobStartedAt: blocked ? Self.t0 + 30 : 0),
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

    /// A default actor's job is no task's: the worker shows the actor it runs for, and a block in it
    /// names that actor, alone and with the watchdog's report of the same job (which has no task).
    @Test func aWorkerInAnActorsJobShowsTheActor() {
        var a = aggregator()
        let actorNames = names + ["Inventory"]
        let job = CounterReading.Worker(
            index: 0, runs: 1, activity: .running, currentTask: ActorJob.running(nameID: UInt32(names.count)),
            jobStartedAt: Self.t0 + 30)
        let reading = CounterReading(workers: [job, .init(index: 1, activity: .parked)])
        let running = a.publish(now: Self.t0 + 30 + 2 * Self.ms, counters: reading, names: actorNames)
        #expect(running.snapshot.workers[0].state == .running(.none, name: "actor Inventory", forNanos: 2 * Self.ms))
        a.apply(RuntimeEvent(time: Self.t0 + 30 + 11 * Self.ms, kind: .workerBlocked, worker: 0, arg: Self.t0 + 30))
        let blocked = a.publish(now: Self.t0 + 30 + 150 * Self.ms, counters: reading, names: actorNames)
        #expect(
            blocked.snapshot.workers[0].state == .blocked(.none, name: "actor Inventory", forNanos: 150 * Self.ms))
        #expect(
            blocked.lints == [
                Lint(kind: .blockedWorker, taskName: "actor Inventory", worker: 0, nanos: 150 * Self.ms),
                Lint(kind: .longPoll, taskName: "actor Inventory", worker: 0, nanos: 150 * Self.ms),
            ])
    }

    /// The watchdog's report that worker 0's job (started at `t0 + 30`) crossed the threshold, at `offset`.
    func watchdogReport(at offset: UInt64) -> RuntimeEvent {
        RuntimeEvent(time: Self.t0 + 30 + offset, kind: .workerBlocked, task: 7, worker: 0, arg: Self.t0 + 30)
    }

    func jobEnd(at offset: UInt64) -> RuntimeEvent {
        RuntimeEvent(time: Self.t0 + 30 + offset, kind: .runFinished, task: 7, worker: 0)
    }

    /// The remembered lints of task 7's job, which ran `ran` and ended `ago` before.
    func past(ran: UInt64, ago: UInt64, onLock: Bool = false) -> [Lint] {
        [
            Lint(
                kind: .longPoll, task: TaskID(7), taskName: "blocker", worker: 0, nanos: ran, endedAgoNanos: ago),
            Lint(
                kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 0, nanos: ran, endedAgoNanos: ago,
                onLock: onLock),
        ]
    }

    @Test func anEndedBlockIsRememberedWithItsLengthAndAge() {
        var a = aggregator()
        a.apply(watchdogReport(at: 11 * Self.ms))
        _ = a.publish(now: Self.t0 + 30 + 150 * Self.ms, counters: reading(), names: names)
        a.apply(jobEnd(at: 160 * Self.ms))
        let later = a.publish(now: Self.t0 + 30 + 400 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(later.lints == past(ran: 160 * Self.ms, ago: 240 * Self.ms), "the job's end gives both its length")
    }

    @Test func aBlockSeenOnlyThroughEventsIsRememberedWithItsFullLength() {
        // A paused view takes in events and publishes nothing: the watchdog's report, then the job's end.
        var a = aggregator()
        a.apply([watchdogReport(at: 11 * Self.ms), jobEnd(at: 2_000 * Self.ms)])
        let later = a.publish(now: Self.t0 + 30 + 2_500 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(later.lints == past(ran: 2_000 * Self.ms, ago: 500 * Self.ms))
    }

    @Test func aLateWatchdogReportDoesNotShortenAnEndedBlock() {
        // The watchdog read the job's start just before it ended and reported just after.
        var a = aggregator()
        a.apply([jobEnd(at: 160 * Self.ms), watchdogReport(at: 161 * Self.ms)])
        let later = a.publish(now: Self.t0 + 30 + 400 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(later.lints == past(ran: 160 * Self.ms, ago: 240 * Self.ms))
    }

    @Test func aWaitOnABlockingLockIsRememberedAsOneWithItsFullLength() {
        var a = aggregator()
        a.apply(watchdogReport(at: 11 * Self.ms))
        let live = a.publish(now: Self.t0 + 30 + 102 * Self.ms, counters: reading(onLock: true), names: names)
        #expect(
            live.lints == [
                Lint(
                    kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 102 * Self.ms,
                    onLock: true),
                Lint(kind: .longPoll, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 102 * Self.ms),
            ])
        var ended = a
        ended.apply(jobEnd(at: 120 * Self.ms))
        let later = ended.publish(now: Self.t0 + 30 + 400 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(later.lints == past(ran: 120 * Self.ms, ago: 280 * Self.ms, onLock: true))

        // Its end never seen (events dropped): the longest length seen live.
        let unseen = a.publish(now: Self.t0 + 30 + 400 * Self.ms, counters: reading(blocked: false), names: names)
        #expect(
            unseen.lints == [
                Lint(
                    kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 0, nanos: 102 * Self.ms,
                    endedAgoNanos: 298 * Self.ms, onLock: true)
            ])
    }

    @Test func aWaitOnABlockingLockUnderTheBlockedThresholdRaisesNothing() {
        var a = aggregator()
        let p = a.publish(now: Self.t0 + 30 + 430_000, counters: reading(onLock: true), names: names)
        // BLOCKED has one rule, the header's threshold: a lock wait in a 430 µs job reads as running.
        #expect(p.snapshot.workers[0].state == .running(TaskID(7), name: "blocker", forNanos: 430_000))
        #expect(p.lints == [])
        a.apply(jobEnd(at: 500_000))
        #expect(a.publish(now: Self.t0 + 30 + Self.ms, counters: reading(blocked: false), names: names).lints == [])
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
