// Facts about the one percentile definition (nearest rank, rank ⌈p/100 × n⌉): the task detail's
// examples (polls of 18 and 214 µs: p50 18 µs; latencies of 541 µs and 1 µs: p50 1 µs), the ranks at
// the edges, and LogHistogram reaching the bucket of the same rank as a sorted list of its values.

import Testing

@testable import RunvizObservation

@Suite struct NearestRankTests {
    @Test func twoPollsOf18And214MicrosecondsHaveAMedianOf18() {
        #expect(NearestRank.values([50, 90, 99], of: [18_000, 214_000] as [UInt64]) == [18_000, 214_000, 214_000])
        #expect(NearestRank.values([50, 90, 99], of: [541_000, 1_000] as [UInt64]) == [1_000, 541_000, 541_000])
    }

    @Test func ranks() {
        #expect(NearestRank.rank(50, of: 0) == 0)
        #expect(NearestRank.rank(0, of: 7) == 1, "p0 is the smallest value")
        #expect(NearestRank.rank(100, of: 7) == 7)
        #expect(NearestRank.rank(50, of: 2) == 1)
        #expect(NearestRank.rank(50, of: 3) == 2)
        #expect(NearestRank.rank(90, of: 10) == 9)
        #expect(NearestRank.rank(99, of: 100) == 99)
        #expect(NearestRank.rank(99.9, of: 1_000) == 999)
        #expect(NearestRank.rank(250, of: 4) == 4, "past 100 is the largest")
        let hundred = Array(1...100) as [UInt64]
        #expect(NearestRank.values([50, 90, 99, 100], of: hundred.reversed()) == [50, 90, 99, 100])
        #expect(NearestRank.value(50, ofSorted: [UInt64]()) == nil)
    }

    @Test func aHistogramReachesTheBucketOfTheSameRank() {
        var values: [UInt64] = []
        var h = LogHistogram()
        for i in 1...1_000 as ClosedRange<UInt64> {
            let v = i * i * 37 % 1_000_003
            values.append(v)
            h.record(v)
        }
        let sorted = values.sorted()
        for p in [1.0, 10, 50, 90, 99, 99.9, 100] {
            let exact = NearestRank.value(p, ofSorted: sorted)!
            #expect(h.value(at: p) == min(LogHistogram.upperBound(LogHistogram.bucket(exact)), sorted.last!), "p\(p)")
        }
    }
}
