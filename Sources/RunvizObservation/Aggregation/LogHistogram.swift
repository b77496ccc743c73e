// Counts of durations in logarithmic buckets: each power of two split in eight, so a bucket spans
// at most 12.5 % of its value. A plain value, its 2 KiB of counts inline (a fixed-size array, no
// heap buffer), so recording one, several times per round trip, is an increment with no
// copy-on-write check; percentiles report the bucket's upper bound, never less than the true value.

struct LogHistogram: Equatable {
    static let subBuckets = 8
    static let bucketCount = 64 * subBuckets
    private(set) var counts = InlineArray<512, UInt32>(repeating: 0)
    private(set) var total: UInt64 = 0
    private(set) var maximum: UInt64 = 0

    @inline(__always)
    static func bucket(_ nanos: UInt64) -> Int {
        if nanos < UInt64(subBuckets) { return Int(nanos) }
        let log = 63 - nanos.leadingZeroBitCount
        let sub = Int((nanos >> UInt64(log - 3)) & UInt64(subBuckets - 1))
        return min(bucketCount - 1, log * subBuckets + sub)
    }

    /// The largest value that falls in `bucket`.
    static func upperBound(_ bucket: Int) -> UInt64 {
        if bucket < subBuckets { return UInt64(bucket) }
        let log = UInt64(bucket / subBuckets)
        let sub = UInt64(bucket % subBuckets)
        return (1 << log) + ((sub + 1) << (log - 3)) - 1
    }

    @inline(__always)
    mutating func record(_ nanos: UInt64) {
        counts[Self.bucket(nanos)] &+= 1
        total &+= 1
        maximum = max(maximum, nanos)
    }

    /// The value at `percentile` (0…100), by nearest rank: the upper bound of the bucket holding that
    /// rank, capped at the maximum seen; nil when nothing was recorded.
    func value(at percentile: Double) -> UInt64? {
        guard total > 0 else { return nil }
        let rank = NearestRank.rank(percentile, of: total)
        var seen: UInt64 = 0
        for i in counts.indices where counts[i] > 0 {
            seen += UInt64(counts[i])
            if seen >= rank { return min(Self.upperBound(i), maximum) }
        }
        return maximum
    }

    static func == (a: LogHistogram, b: LogHistogram) -> Bool {
        guard a.total == b.total, a.maximum == b.maximum else { return false }
        return a.counts.indices.allSatisfy { a.counts[$0] == b.counts[$0] }
    }
}
