// Drains every EventRing of a hub and merges the per-thread streams into one stream in time order.
// Each ring is already in time order, so this is a k-way merge, not a sort: it takes the whole run
// of one ring that precedes every other ring's head at once. Work per drain is bounded by the rings'
// capacity; what the rings dropped is counted by them (`CounterReading.droppedEvents`), not guessed.
// The rings are copied out in bulk (a ring's filled slots are at most two contiguous stretches),
// ring after ring into one staging buffer, and merged from there, so an event costs two copies and
// a comparison or two, no per-event call.
// A final class, not a value: the rings are single-consumer, so there must be exactly one merger per
// hub, and it keeps its staging buffer between drains (a burst's large buffer is released after it,
// and a buffer the current load uses less than a quarter of).

import RunvizTelemetry

public final class EventMerger {
    public let hub: TelemetryHub
    /// A staging buffer larger than this many events is released after the drain that needed it.
    static let keptBufferEvents = 1 << 15
    /// A staging buffer up to this many events is always kept.
    static let smallBufferEvents = 1 << 11
    /// Every ring's events of this drain, ring after ring.
    @exclusivity(unchecked) private var staged: [RuntimeEvent] = []
    /// Where each ring's events lie in `staged` (rings that had none are left out).
    @exclusivity(unchecked) private var runs: [Range<Int>] = []

    public init(hub: TelemetryHub) { self.hub = hub }

    /// Every event recorded since the last drain, oldest first.
    public func drain() -> [RuntimeEvent] {
        staged.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
        for ring in hub.rings {
            let start = staged.count
            ring.drain(into: &staged)
            if staged.count > start { runs.append(start..<staged.count) }
        }
        var merged: [RuntimeEvent] = []
        if runs.count == 1 {
            merged = staged
        } else if runs.count > 1 {
            staged.withUnsafeBufferPointer { Self.merge($0, runs: runs, into: &merged) }
        }
        // A burst (10,000 clients connecting) must not leave megabytes of staging buffer behind, nor
        // a busy spell a buffer four times what the load now needs.
        if staged.capacity > Self.keptBufferEvents
            || (staged.capacity > Self.smallBufferEvents && staged.count * 4 < staged.capacity)
        {
            staged = []
        }
        return merged
    }

    /// Merges the stretches `runs` of `events` (each in time order) into `merged`, replacing its contents.
    static func merge(
        _ events: UnsafeBufferPointer<RuntimeEvent>, runs: [Range<Int>], into merged: inout [RuntimeEvent]
    ) {
        let total = runs.reduce(0) { $0 + $1.count }
        merged.removeAll(keepingCapacity: true)
        merged.reserveCapacity(total)
        var next = runs.map(\.lowerBound)
        while merged.count < total {
            var best = -1
            var bestTime = UInt64.max
            var second = UInt64.max
            for r in runs.indices where next[r] < runs[r].upperBound {
                let t = events[next[r]].time
                if t < bestTime {
                    second = bestTime
                    bestTime = t
                    best = r
                } else if t < second {
                    second = t
                }
            }
            if best < 0 { break }
            // The whole stretch of the earliest run that comes no later than every other head.
            var end = next[best]
            let limit = runs[best].upperBound
            while end < limit && events[end].time <= second { end += 1 }
            merged.append(contentsOf: UnsafeBufferPointer(rebasing: events[next[best]..<end]))
            next[best] = end
        }
    }

    /// Merges the first `count` streams of `runs` (each in time order, `total` events in all) into `merged`.
    static func merge(_ runs: [[RuntimeEvent]], count: Int, total: Int, into merged: inout [RuntimeEvent]) {
        let all = runs.prefix(count).flatMap { $0 }
        var bounds: [Range<Int>] = []
        var start = 0
        for run in runs.prefix(count) {
            bounds.append(start..<start + run.count)
            start += run.count
        }
        all.withUnsafeBufferPointer { merge($0, runs: bounds, into: &merged) }
    }
}
