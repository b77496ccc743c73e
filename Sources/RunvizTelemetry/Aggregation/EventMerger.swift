// Drains every EventRing of a hub and merges the per-thread streams into one stream in time order.
// Each ring is already in time order, so this is a k-way merge, not a sort: it takes the whole run
// of one ring that precedes every other ring's head at once. Work per drain is bounded by the rings'
// capacity; what the rings dropped is counted by them (`CounterReading.droppedEvents`), not guessed.
// A final class, not a value: the rings are single-consumer, so there must be exactly one merger per
// hub, and it keeps its buffers between drains (a burst's large buffers are released after it).

public final class EventMerger {
    public let hub: TelemetryHub
    /// Buffers larger than this many events are released after the drain that needed them.
    static let keptBufferEvents = 1 << 15
    private var perRing: [[RuntimeEvent]] = []
    private var merged: [RuntimeEvent] = []

    public init(hub: TelemetryHub) { self.hub = hub }

    /// Every event recorded since the last drain, oldest first.
    public func drain() -> [RuntimeEvent] {
        let rings = hub.rings
        if perRing.count < rings.count {
            perRing.append(contentsOf: repeatElement([], count: rings.count - perRing.count))
        }
        var total = 0
        for (i, ring) in rings.enumerated() {
            perRing[i].removeAll(keepingCapacity: true)
            total += ring.drain { perRing[i].append($0) }
        }
        Self.merge(perRing, count: rings.count, total: total, into: &merged)
        let out = merged
        // A burst (10,000 clients connecting) must not leave megabytes of merge buffers behind.
        if merged.capacity > Self.keptBufferEvents {
            merged = []
            perRing = perRing.map { _ in [] }
        }
        return out
    }

    /// Merges the first `count` streams of `runs` (each in time order, `total` events in all) into `merged`.
    static func merge(_ runs: [[RuntimeEvent]], count: Int, total: Int, into merged: inout [RuntimeEvent]) {
        merged.removeAll(keepingCapacity: true)
        merged.reserveCapacity(total)
        var idx = [Int](repeating: 0, count: count)
        while merged.count < total {
            var best = -1
            var bestTime = UInt64.max
            for r in 0..<count where idx[r] < runs[r].count {
                let t = runs[r][idx[r]].time
                if t < bestTime {
                    bestTime = t
                    best = r
                }
            }
            if best < 0 { break }
            var second = UInt64.max
            for r in 0..<count where r != best && idx[r] < runs[r].count {
                second = min(second, runs[r][idx[r]].time)
            }
            let ring = runs[best]
            var i = idx[best]
            while i < ring.count && ring[i].time <= second {
                merged.append(ring[i])
                i += 1
            }
            idx[best] = i
        }
    }
}
