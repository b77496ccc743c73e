// Facts about a worker's busy % as Aggregator.publish gives it, fed a job that runs 2 s (a blocker)
// and readings every 100 ms, as the observer takes them: the % is over the second that ends at the
// snapshot, so 600 ms into the block it reads 60 %, from 1 s on 100 % while the worker stays
// BLOCKED, and once the job has ended it falls back (70 % 300 ms later, 0 % after a second).

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct AggregatorBusyTests {
    static let ms: UInt64 = 1_000_000
    static let t0: UInt64 = 1_000_000_000_000
    static let jobStart = t0 + 2_000 * ms
    static let jobEnd = t0 + 4_000 * ms

    /// Worker 0 idle, then running task 7's job from `jobStart` to `jobEnd`; worker 1 parked throughout.
    func reading(at now: UInt64) -> CounterReading {
        let running = now >= Self.jobStart && now < Self.jobEnd
        let done = now >= Self.jobEnd
        return CounterReading(workers: [
            .init(
                index: 0, runs: done ? 1 : 0, busyNanos: done ? Self.jobEnd - Self.jobStart : 0,
                activity: running ? .running : .parked, currentTask: running ? 7 : 0,
                jobStartedAt: running ? Self.jobStart : 0),
            .init(index: 1, activity: .parked),
        ])
    }

    /// Publishes every 100 ms from `t0` to `until`, with the job's events as they happen; returns
    /// worker 0 of each publication by its offset from `t0` in milliseconds.
    func run(until: UInt64) -> [UInt64: WorkerSnapshot] {
        var a = Aggregator(
            configuration: ConfigurationSummary(
                workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10 * Self.ms, instrumentation: true),
            startedAt: Self.t0)
        a.apply(RuntimeEvent(time: Self.t0 + 10, kind: .spawned, task: 7, extra: 1))
        var seen: [UInt64: WorkerSnapshot] = [:]
        var now = Self.t0
        while now <= until {
            if now == Self.jobStart {
                a.apply(RuntimeEvent(time: now, kind: .runStarted, task: 7, worker: 0))
            }
            if now == Self.jobEnd {
                a.apply(RuntimeEvent(time: now, kind: .runFinished, task: 7, worker: 0))
                a.apply(RuntimeEvent(time: now, kind: .completed, task: 7, worker: 0))
            }
            let p = a.publish(now: now, counters: reading(at: now), names: ["", "blocker"])
            seen[(now - Self.t0) / Self.ms] = p.snapshot.workers[0]
            now += 100 * Self.ms
        }
        return seen
    }

    func busy(_ w: WorkerSnapshot?) -> Double { ((w?.busyRatio ?? -1) * 1_000).rounded() / 1_000 }

    @Test func aBlockedWorkerReadsBusyWhileItsJobRuns() throws {
        let seen = run(until: Self.jobEnd - 100 * Self.ms)
        let early = try #require(seen[2_600])
        #expect(early.state == .blocked(TaskID(7), name: "blocker", forNanos: 600 * Self.ms))
        #expect(busy(early) == 0.6, "600 ms of the last second were the running job")
        for at in stride(from: 3_000 as UInt64, through: 3_900, by: 100) {
            #expect(busy(seen[at]) == 1, "BLOCKED the whole last second, at +\(at) ms")
        }
    }

    @Test func busyFallsBackOnceTheJobHasEnded() {
        let seen = run(until: Self.jobEnd + 1_200 * Self.ms)
        #expect(busy(seen[4_300]) == 0.7, "300 ms parked of the last second")
        #expect(busy(seen[4_600]) == 0.4)
        #expect(busy(seen[5_000]) == 0, "a whole second parked")
        #expect(busy(seen[5_200]) == 0)
        #expect(busy(seen[1_500]) == 0, "idle before the job")
    }
}
