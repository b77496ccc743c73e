// LatencySummary: the percentiles of a round-trip latency histogram, in microseconds. Histograms record
// nanoseconds (HdrHistogram, 3 significant digits); this is the form reports and progress lines print.

import Histogram

/// Round-trip latency percentiles in microseconds.
public struct LatencySummary: Sendable, Equatable {
    /// Round trips measured.
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    public init(count: UInt64 = 0, p50: Double = 0, p90: Double = 0, p99: Double = 0, p999: Double = 0, max: Double = 0)
    {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }

    init(_ histogram: Histogram<UInt64>) {
        func micros(_ nanos: UInt64) -> Double { Double(nanos) / 1_000 }
        guard histogram.totalCount > 0 else {
            self.init()
            return
        }
        let top = micros(histogram.maxRecorded)
        self.init(
            count: histogram.totalCount,
            p50: Swift.min(micros(histogram.valueAtPercentile(50)), top),
            p90: Swift.min(micros(histogram.valueAtPercentile(90)), top),
            p99: Swift.min(micros(histogram.valueAtPercentile(99)), top),
            p999: Swift.min(micros(histogram.valueAtPercentile(99.9)), top),
            max: top)
    }

    /// A histogram laid out like every other latency histogram here (so they can be added together).
    static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableNanos,
            numberOfSignificantValueDigits: .three)
    }

    /// One hour: longer latencies are recorded as one hour (a run never lasts longer).
    static let highestTrackableNanos: UInt64 = 3_600 * 1_000_000_000
}
