// Facts about EchoStats' latency histogram: a percentile lies within one bucket (≤ 25 %) above the
// recorded value, never below it; only values recorded between two `counts()` copies count; an
// empty interval reads 0.

import RunvizEcho
import Testing

@Suite struct EchoStatsTests {
    @Test func percentilesLieWithinOneBucketAboveTheValue() {
        let h = LatencyHistogram()
        let empty = h.counts()
        #expect(LatencyHistogram.percentile(50, from: empty, to: h.counts()) == 0)
        for _ in 0..<99 { h.record(1_000) }
        h.record(1_000_000)
        let counts = h.counts()
        for p in [50.0, 99.0] {
            let v = LatencyHistogram.percentile(p, from: empty, to: counts)
            #expect(v >= 1_000 && v <= 1_250, "p\(p) = \(v)")
        }
        let top = LatencyHistogram.percentile(100, from: empty, to: counts)
        #expect(top >= 1_000_000 && top <= 1_250_000, "p100 = \(top)")
    }

    @Test func onlyTheIntervalBetweenTwoCopiesCounts() {
        let h = LatencyHistogram()
        for _ in 0..<1_000 { h.record(5_000_000) }
        let mark = h.counts()
        for _ in 0..<10 { h.record(2_000) }
        let p99 = LatencyHistogram.percentile(99, from: mark, to: h.counts())
        #expect(p99 >= 2_000 && p99 <= 2_500, "p99 = \(p99)")
        #expect(LatencyHistogram.percentile(50, from: h.counts(), to: h.counts()) == 0)
    }

    @Test func freshStatsAreZero() {
        let stats = EchoStats()
        #expect(stats.openConnections == 0)
        #expect(stats.accepted.load(ordering: .relaxed) == 0)
        #expect(stats.latency.counts().allSatisfy { $0 == 0 })
    }
}
