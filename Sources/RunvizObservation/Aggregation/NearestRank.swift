// The one percentile definition of the project: nearest rank. The p-th percentile of n values is
// the value at rank ⌈p/100 × n⌉ (1-based, at least 1) in ascending order: always one of the values
// seen, p50 of two values is the smaller, p100 the largest. Histograms (LogHistogram, the load
// generator's HdrHistogram) walk their buckets to the same rank; lists of samples index it here.

public enum NearestRank {
    /// The 1-based rank of the `percentile` (0…100) among `count` values; 0 only when `count` is 0.
    public static func rank(_ percentile: Double, of count: UInt64) -> UInt64 {
        guard count > 0 else { return 0 }
        let p = min(max(percentile, 0), 100)
        return min(count, max(1, UInt64((Double(count) * p / 100).rounded(.up))))
    }

    /// The value at `percentile` (0…100) of `sorted` (ascending); nil when it is empty.
    public static func value<T>(_ percentile: Double, ofSorted sorted: [T]) -> T? {
        guard !sorted.isEmpty else { return nil }
        return sorted[Int(rank(percentile, of: UInt64(sorted.count))) - 1]
    }

    /// The values at each of `percentiles` of `samples`, in any order (empty when there are none).
    public static func values<T: Comparable>(_ percentiles: [Double], of samples: [T]) -> [T] {
        let sorted = samples.sorted()
        return percentiles.compactMap { value($0, ofSorted: sorted) }
    }
}
