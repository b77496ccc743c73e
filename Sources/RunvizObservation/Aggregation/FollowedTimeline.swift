// The full timeline of the one task the view follows: every step from `follow` on, bounded to the
// last `capacity` entries (it drops the oldest quarter when full, counting what it dropped, so each
// step keeps its number and the origin stays the first step's time), plus the poll times and
// scheduling latencies for its percentiles (the last `capacity` of each). Steps of other tasks cost one comparison. It keeps the task's last
// known name, so the timeline of a finished task whose record was evicted still says who it was.

import RunvizTelemetry

struct FollowedTimeline: Equatable {
    static let capacity = 4_096
    private(set) var task: UInt64?
    private var entries: [TaskTimeline.Entry] = []
    /// Steps dropped from the front since `follow`, and the first step's time.
    private var dropped = 0
    private var origin: UInt64?
    private var polls: [UInt64] = []
    private var latencies: [UInt64] = []
    private var name: String?

    /// Starts a new timeline for `task` (nil: stop following).
    mutating func follow(_ task: UInt64?) {
        self.task = task
        entries.removeAll(keepingCapacity: true)
        polls.removeAll(keepingCapacity: true)
        latencies.removeAll(keepingCapacity: true)
        name = nil
        dropped = 0
        origin = nil
    }

    /// Notes the followed task's name while the aggregator still knows it.
    mutating func named(_ name: String) {
        self.name = name
    }

    @inline(__always)
    mutating func note(_ id: UInt64, _ time: UInt64, _ step: TaskTimeline.Entry.Step) {
        guard id == task else { return }
        if entries.count >= Self.capacity {
            entries.removeFirst(Self.capacity / 4)
            dropped += Self.capacity / 4
        }
        if origin == nil { origin = time }
        entries.append(TaskTimeline.Entry(time: time, step: step))
    }

    @inline(__always)
    mutating func poll(_ id: UInt64, nanos: UInt64) {
        if id == task { Self.keep(nanos, in: &polls) }
    }

    @inline(__always)
    mutating func latency(_ id: UInt64, nanos: UInt64) {
        if id == task { Self.keep(nanos, in: &latencies) }
    }

    /// Appends, dropping the oldest quarter when full: memory stays bounded however long one follows.
    private static func keep(_ value: UInt64, in samples: inout [UInt64]) {
        if samples.count >= capacity { samples.removeFirst(capacity / 4) }
        samples.append(value)
    }

    /// The timeline so far under the last name noted ("t<id>" if none was); nil when nothing is followed.
    func timeline() -> TaskTimeline? {
        guard let task else { return nil }
        return TaskTimeline(
            task: TaskID(task), name: name ?? "\(TaskID(task))", entries: entries, firstIndex: dropped,
            origin: origin, pollPercentiles: Self.percentiles(polls),
            latencyPercentiles: Self.percentiles(latencies))
    }

    /// p50, p90, p99 by nearest rank (empty for no values).
    static func percentiles(_ values: [UInt64]) -> [UInt64] {
        NearestRank.values([50, 90, 99], of: values)
    }
}
