// Facts about RateSampler: nothing is sampled before a second has passed; from two readings a second
// apart it gives each worker's busy sample and runs per second, the ready depth, events and wakes per
// second and the caller's load; a job still running counts as busy up to the sample; histories
// keep the last 60 samples.

import RunvizTelemetry
import Testing

@testable import RunvizObservation

@Suite struct RateSamplerTests {
    static let second: UInt64 = 1_000_000_000
    let wakes0 = [UInt64](repeating: 0, count: WakeSource.allCases.count)

    func reading(runs: UInt64, busy: UInt64, jobStartedAt: UInt64 = 0, ready: Int = 0) -> CounterReading {
        CounterReading(
            workers: [
                .init(index: 0, runs: runs, busyNanos: busy, localQueueDepth: ready, jobStartedAt: jobStartedAt),
                .init(index: 1),
            ], injectQueueDepth: 1)
    }

    @Test func ratesComeFromTwoReadingsASecondApart() {
        var sampler = RateSampler(startedAt: 0, workers: 2)
        let early = sampler.sample(
            now: Self.second / 2, counters: reading(runs: 5, busy: 1), events: 3, wakesBySource: wakes0)
        #expect(!early, "not a second yet")
        let first = sampler.sample(
            now: Self.second, counters: reading(runs: 100, busy: 250_000_000, ready: 3), events: 400,
            wakesBySource: wakes0)
        #expect(first)
        sampler.accountWork(nanos: 20_000_000)
        var wakes = wakes0
        wakes[Int(WakeSource.io.rawValue)] = 300
        let busy = 250_000_000 + 500_000_000 as UInt64
        let second = sampler.sample(
            now: 3 * Self.second, counters: reading(runs: 500, busy: busy, ready: 2), events: 1_400,
            wakesBySource: wakes)
        #expect(second, "two seconds later")
        #expect(sampler.busyHistory.map(\.last) == [0.25, 0])
        #expect(sampler.runsPerSecond == [200, 0])
        #expect(sampler.eventsPerSecond == 500)
        #expect(sampler.wakesPerSecond[.io] == 150)
        #expect(sampler.wakesPerSecond[.spawn] == nil, "a spawn is not a wake")
        #expect(sampler.readyHistory == [4, 3])
        #expect(sampler.busyHistory[0] == [0.25, 0.25])
        #expect(sampler.load == 0.01)
    }

    @Test func aRunningJobCountsAsBusyUpToTheSample() {
        var sampler = RateSampler(startedAt: 0, workers: 2)
        let started = Self.second / 4
        sampler.sample(
            now: Self.second, counters: reading(runs: 0, busy: 0, jobStartedAt: started), events: 0,
            wakesBySource: wakes0)
        #expect(sampler.busyHistory(of: 0).last == 0.75)
        // The job goes on: the next second is all busy, and the busy counter has not moved.
        sampler.sample(
            now: 2 * Self.second, counters: reading(runs: 0, busy: 0, jobStartedAt: started), events: 0,
            wakesBySource: wakes0)
        #expect(sampler.busyHistory(of: 0).last == 1)
    }

    @Test func aJobEndingWhileTheCountersAreReadNeverRunsBusyBackwards() {
        var sampler = RateSampler(startedAt: 0, workers: 1)
        let started = Self.second / 2
        sampler.sample(
            now: Self.second, counters: reading(runs: 0, busy: 0, jobStartedAt: started), events: 0,
            wakesBySource: wakes0)
        #expect(sampler.busyHistory(of: 0).last == 0.5)
        // Torn reading: the job has ended (no running job) but its time is not in the total yet.
        sampler.sample(now: 2 * Self.second, counters: reading(runs: 0, busy: 0), events: 0, wakesBySource: wakes0)
        #expect(sampler.busyHistory(of: 0).last == 0, "not a wrapped subtraction clamped to 100 %")
        // The next reading has the whole job (1.2 s): only the part not counted yet is new.
        sampler.sample(
            now: 3 * Self.second, counters: reading(runs: 1, busy: 1_200_000_000), events: 0, wakesBySource: wakes0)
        #expect(sampler.busyHistory(of: 0).last == 0.7)
    }

    @Test func historiesKeepTheLast60Samples() {
        var sampler = RateSampler(startedAt: 0, workers: 1)
        for i in 1...70 {
            sampler.sample(
                now: UInt64(i) * Self.second, counters: reading(runs: 0, busy: 0, ready: i), events: 0,
                wakesBySource: wakes0)
        }
        #expect(sampler.readyHistory.count == 60)
        #expect(sampler.readyHistory.first == 11 + 1)
        #expect(sampler.busyHistory(of: 1).count == 60, "a worker the configuration did not count is sampled too")
    }
}
