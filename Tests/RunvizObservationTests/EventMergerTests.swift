// Facts about EventMerger: events of several rings come out as one stream in time order (each ring
// in its own order, runs of one ring taken whole); a drain empties the rings; a ring registered
// after the first drain is drained too.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct EventMergerTests {
    func event(_ time: UInt64, worker: UInt8) -> RuntimeEvent {
        RuntimeEvent(time: time, kind: .workerParked, worker: worker)
    }

    @Test func ringsMergeIntoOneStreamByTime() {
        let hub = TelemetryHub(workerCount: 3, ringCapacity: 64)
        let rings = (0..<3).map { hub.makeRing(label: "worker-\($0)") }
        for t in [1, 2, 3, 10, 11] as [UInt64] { rings[0].record(event(t, worker: 0)) }
        for t in [4, 5, 12] as [UInt64] { rings[1].record(event(t, worker: 1)) }
        for t in [6, 7, 8, 9] as [UInt64] { rings[2].record(event(t, worker: 2)) }
        let merger = EventMerger(hub: hub)
        let merged = merger.drain()
        #expect(merged.map(\.time) == Array(1...12))
        #expect(merged.map(\.worker) == [0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 0, 1])
        #expect(merger.drain().isEmpty, "the drain emptied the rings")
    }

    @Test func equalTimesKeepEachRingsOrder() {
        var merged: [RuntimeEvent] = []
        let runs = [[event(5, worker: 0), event(5, worker: 0)], [event(5, worker: 1)]]
        EventMerger.merge(runs, count: 2, total: 3, into: &merged)
        #expect(merged.map(\.worker) == [0, 0, 1])
    }

    @Test func aRingRegisteredLaterIsDrainedToo() {
        let hub = TelemetryHub(workerCount: 1, ringCapacity: 64)
        let first = hub.makeRing(label: "worker-0")
        let merger = EventMerger(hub: hub)
        first.record(event(1, worker: 0))
        #expect(merger.drain().count == 1)
        let late = hub.makeRing(label: "blocking-0")
        late.record(event(3, worker: 9))
        first.record(event(2, worker: 0))
        #expect(merger.drain().map(\.time) == [2, 3])
    }
}
