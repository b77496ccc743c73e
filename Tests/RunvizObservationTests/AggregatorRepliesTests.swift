// Facts about the aggregator's readiness → reply figures and ready-queue peaks, from a scripted
// echo: readiness on a registered stream, the task's run, its write; a hundred tasks spawned at
// once between two readings make a peak of a hundred, though the reading saw an empty queue.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct AggregatorRepliesTests {
    static let us: UInt64 = 1_000
    static let t0: UInt64 = 1_000_000_000_000
    static let second: UInt64 = 1_000_000_000

    func aggregator() -> Aggregator {
        Aggregator(
            configuration: ConfigurationSummary(
                workers: 1, maxBlockingThreads: 4, blockedThresholdNanos: 10_000_000, instrumentation: true),
            startedAt: Self.t0)
    }

    @Test func anEchoIsOneReplyTimedFromReadiness() {
        var a = aggregator()
        let t = Self.t0
        a.apply([
            RuntimeEvent(time: t + 1, kind: .fdRegistered, task: 3, arg: 12),
            RuntimeEvent(
                time: t + 10 * Self.us, kind: .fdReady, task: 3, detail: UInt16(Interest.read.rawValue), arg: 12),
            RuntimeEvent(
                time: t + 11 * Self.us, kind: .scheduled, task: 3, worker: 0, detail: UInt16(WakeSource.io.rawValue),
                arg: 12),
            RuntimeEvent(time: t + 30 * Self.us, kind: .runStarted, task: 3, worker: 0),
            RuntimeEvent(time: t + 35 * Self.us, kind: .wrote, task: 3, worker: 0, arg: 12, extra: 64),
            RuntimeEvent(time: t + 40 * Self.us, kind: .runFinished, task: 3, worker: 0),
        ])
        let during = a.publish(now: t + Self.second / 2, counters: .idle(workers: 1), names: [""])
        #expect(during.snapshot.replies.replies == 0, "the window of the first second is not closed yet")
        let after = a.publish(now: t + Self.second, counters: .idle(workers: 1), names: [""])
        #expect(after.snapshot.replies.replies == 1)
        #expect(after.snapshot.replies.maxNanos == 25 * Self.us, "readiness at 10 µs, reply at 35 µs")
        #expect(a.replies(now: t + Self.second) == after.snapshot.replies)
    }

    @Test func theReadyPeakIsTheMostQueuedAtOnceNotASample() {
        var a = aggregator()
        let t = Self.t0
        var events: [RuntimeEvent] = []
        for id in 1...100 as ClosedRange<UInt64> {
            events.append(
                RuntimeEvent(
                    time: t + id, kind: .scheduled, task: id, worker: 0, detail: UInt16(WakeSource.spawn.rawValue)))
        }
        for id in 1...100 as ClosedRange<UInt64> {
            events.append(RuntimeEvent(time: t + 1_000 + id * 2, kind: .runStarted, task: id, worker: 0))
            events.append(RuntimeEvent(time: t + 1_001 + id * 2, kind: .runFinished, task: id, worker: 0))
        }
        a.apply(events)
        let p = a.publish(now: t + Self.second, counters: .idle(workers: 1), names: [""])
        #expect(p.snapshot.readyQueueHistory == [100], "the reading at the tick saw an empty queue")
        let next = a.publish(now: t + 2 * Self.second, counters: .idle(workers: 1), names: [""])
        #expect(next.snapshot.readyQueueHistory == [100, 0])
    }
}
