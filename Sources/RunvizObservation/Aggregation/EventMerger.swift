// Drains every EventRing of a hub and merges the per-thread streams into one stream in time order.
// Each ring is already in time order, so this is a k-way merge, not a sort: it takes the whole run
// of one ring that precedes every other ring's head at once. Work per drain is bounded by the rings'
// capacity; what the rings dropped is counted by them (`CounterReading.droppedEvents`), not guessed.
// The rings are read in place (a ring's filled slots are at most two contiguous stretches, each a
// run in time order) and merged straight into the drain's array, so an event costs one copy and a
// comparison or two, no per-event call; the slots are freed once the merge has read them.
// A final class, not a value: the rings are single-consumer, so there must be exactly one merger per
// hub, and it keeps its list of stretches between drains.

import RunvizTelemetry

public final class EventMerger {
    public let hub: TelemetryHub
    /// Every ring's filled stretches of this drain, ring after ring.
    @exclusivity(unchecked) private var stretches: [UnsafeBufferPointer<RuntimeEvent>] = []
    /// Each ring drained and where to free it up to.
    @exclusivity(unchecked) private var releases: [(ring: EventRing, end: Int)] = []

    public init(hub: TelemetryHub) { self.hub = hub }

    /// Every event recorded since the last drain, oldest first.
    public func drain() -> [RuntimeEvent] {
        stretches.removeAll(keepingCapacity: true)
        releases.removeAll(keepingCapacity: true)
        var total = 0
        for ring in hub.rings {
            let (first, second, end) = ring.filled()
            guard !first.isEmpty else { continue }
            stretches.append(first)
            if !second.isEmpty { stretches.append(second) }
            total += first.count + second.count
            releases.append((ring, end))
        }
        var merged: [RuntimeEvent] = []
        if stretches.count == 1 {
            merged.append(contentsOf: stretches[0])
        } else if stretches.count > 1 {
            Self.merge(stretches, total: total, into: &merged)
        }
        for (ring, end) in releases { ring.release(upTo: end) }
        return merged
    }

    /// Merges `runs` (each in time order, `total` events in all) into `merged`, replacing its contents.
    static func merge(
        _ runs: [UnsafeBufferPointer<RuntimeEvent>], total: Int, into merged: inout [RuntimeEvent]
    ) {
        var next = [Int](repeating: 0, count: runs.count)
        // Written straight into the array's new storage: a stretch costs no call to append.
        merged = [RuntimeEvent](unsafeUninitializedCapacity: total) { out, written in
            written = 0
            while written < total {
                var best = -1
                var bestTime = UInt64.max
                var second = UInt64.max
                for r in runs.indices where next[r] < runs[r].count {
                    let t = runs[r][next[r]].time
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
                let run = runs[best]
                var i = next[best]
                repeat {
                    (out.baseAddress! + written).initialize(to: run[i])
                    written += 1
                    i += 1
                } while i < run.count && run[i].time <= second && written < total
                next[best] = i
            }
        }
    }

    /// Merges the first `count` streams of `runs` (each in time order, `total` events in all) into `merged`.
    static func merge(_ runs: [[RuntimeEvent]], count: Int, total: Int, into merged: inout [RuntimeEvent]) {
        let all = runs.prefix(count).flatMap { $0 }
        all.withUnsafeBufferPointer { all in
            var buffers: [UnsafeBufferPointer<RuntimeEvent>] = []
            var start = 0
            for run in runs.prefix(count) {
                buffers.append(UnsafeBufferPointer(rebasing: all[start..<start + run.count]))
                start += run.count
            }
            merge(buffers, total: total, into: &merged)
        }
    }
}
