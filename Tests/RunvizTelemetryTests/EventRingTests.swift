// Facts about EventRing: events come out in the order they were recorded; a full ring drops and
// counts the newest events instead of blocking; draining frees the space (one by one, or in bulk
// across the wrap); capacity rounds up to a power of two; a producer thread and a draining consumer
// never lose or reorder an event unseen (received + dropped = recorded, times strictly increasing).
// A ring's memory is resident only as far as it has been written (mincore counts its pages).

import Foundation
import Glibc
import Synchronization
import Testing

@testable import RunvizTelemetry

@Suite struct EventRingTests {
    func event(_ time: UInt64) -> RuntimeEvent { RuntimeEvent(time: time, kind: .runStarted, task: time, worker: 0) }

    func drained(_ ring: EventRing) -> [UInt64] {
        var times: [UInt64] = []
        ring.drain { times.append($0.time) }
        return times
    }

    /// Pages of `ring`'s slots the kernel holds resident.
    func residentPages(_ ring: EventRing) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (ring.bytes + page - 1) / page
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(UnsafeMutableRawPointer(ring.slots), ring.bytes, &vector) == 0 else { return -1 }
        return vector.filter { $0 & 1 == 1 }.count
    }

    @Test func aRingIsResidentOnlyAsFarAsItWasWritten() {
        let ring = EventRing(capacity: 1 << 16, label: "worker-0")
        #expect(ring.bytes == (1 << 16) * MemoryLayout<RuntimeEvent>.stride)
        #expect(residentPages(ring) == 0, "a new ring costs no resident page")
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let events = 3 * page / MemoryLayout<RuntimeEvent>.stride
        for t in 1...events { ring.record(event(UInt64(t))) }
        #expect(residentPages(ring) == 3, "\(events) events fill three pages")
        #expect(drained(ring).count == events)
    }

    @Test func recordsInOrder() {
        let ring = EventRing(capacity: 8, label: "test")
        for t in 1...5 { ring.record(event(UInt64(t))) }
        #expect(ring.count == 5)
        var seen: [RuntimeEvent] = []
        #expect(ring.drain { seen.append($0) } == 5)
        #expect(seen == (1...5).map { event(UInt64($0)) })
        #expect(ring.count == 0)
        #expect(ring.dropped == 0)
        #expect(ring.drain { _ in Issue.record("drained twice") } == 0)
    }

    @Test func aFullRingDropsAndCountsInsteadOfBlocking() {
        let ring = EventRing(capacity: 8, label: "test")
        for t in 1...11 { ring.record(event(UInt64(t))) }
        #expect(ring.count == 8)
        #expect(ring.dropped == 3)
        #expect(drained(ring) == Array(1...8), "the newest events are the ones dropped")
    }

    @Test func drainFreesSpace() {
        let ring = EventRing(capacity: 8, label: "test")
        for t in 1...8 { ring.record(event(UInt64(t))) }
        ring.record(event(9))
        #expect(ring.dropped == 1)
        #expect(drained(ring).count == 8)
        for t in 10...17 { ring.record(event(UInt64(t))) }
        #expect(ring.dropped == 1, "eight more fit after the drain")
        #expect(drained(ring) == Array(10...17), "slots wrap around in order")
    }

    @Test func aBulkDrainAppendsAcrossTheWrapInOrder() {
        let ring = EventRing(capacity: 8, label: "test")
        for t in 1...5 { ring.record(event(UInt64(t))) }
        #expect(drained(ring) == Array(1...5))
        // Slots 5, 6, 7, then 0…3: two stretches.
        for t in 6...12 { ring.record(event(UInt64(t))) }
        var events = [event(0)]
        #expect(ring.drain(into: &events) == 7)
        #expect(events.map(\.time) == [0] + Array(6...12), "appended after what the buffer held")
        #expect(ring.count == 0)
        #expect(ring.drain(into: &events) == 0)
        #expect(events.count == 8)
    }

    @Test func capacityRoundsUpToAPowerOfTwo() {
        #expect(EventRing(capacity: 5, label: "a").capacity == 8)
        #expect(EventRing(capacity: 64, label: "b").capacity == 64)
        #expect(EventRing(capacity: 0, label: "c").capacity == 2)
        let hub = TelemetryHub(workerCount: 1, ringCapacity: 100)
        let ring = hub.makeRing(label: "worker-0")
        #expect(ring.capacity == 128)
        #expect(ring.owner == hub.id)
        #expect(ring.label == "worker-0")
        #expect(hub.rings.count == 1)
    }

    @Test func aProducerThreadAndADrainingConsumerAgree() {
        let ring = EventRing(capacity: 1024, label: "spsc")
        let total = 200_000
        let done = Atomic<Bool>(false)
        let producer = Thread {
            for t in 1...total { ring.record(RuntimeEvent(time: UInt64(t), kind: .stole, worker: 0)) }
            done.store(true, ordering: .releasing)
        }
        producer.start()
        var received = 0
        var last: UInt64 = 0
        var ordered = true
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let finished = done.load(ordering: .acquiring)
            received += ring.drain { e in
                if e.time <= last { ordered = false }
                last = e.time
            }
            if finished && ring.count == 0 { break }
        }
        let producerFinished = done.load(ordering: .acquiring)
        #expect(producerFinished, "the producer never blocked")
        #expect(ordered)
        #expect(UInt64(received) + ring.dropped == UInt64(total))
        #expect(received > 0)
    }
}
