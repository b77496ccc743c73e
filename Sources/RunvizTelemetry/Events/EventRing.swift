// A bounded single-producer / single-consumer ring of RuntimeEvents: one per recording thread.
// Invariants: only the owning thread calls `record`; only the aggregator calls `drain`.
// The producer never waits and never allocates: when the ring is full the event is counted in
// `dropped` and discarded. `head` and `tail` grow monotonically; slot = index & mask.
// The slots are pages mapped for the ring alone: the kernel zero-fills them (a zero event is a valid
// one, never read before it is written) and makes a page resident only when the producer first writes
// it, so a ring costs the events it has held, up to its capacity, not its capacity; the pages go back
// to the kernel when the ring is freed.

import CRunvizLinux
import Synchronization

public final class EventRing: @unchecked Sendable {
    public let capacity: Int
    public let label: String
    /// The hub that owns this ring (its `id`).
    public let owner: UInt64
    // Visible to the recording module's inlined `record` (the per-event path), not part of the API.
    @usableFromInline let mask: Int
    @usableFromInline let slots: UnsafeMutablePointer<RuntimeEvent>
    @usableFromInline let head = Atomic<Int>(0)
    @usableFromInline let tail = Atomic<Int>(0)
    @usableFromInline let droppedCount = Atomic<UInt64>(0)
    /// Producer-private copy of `head`, refreshed only when the ring looks full.
    @exclusivity(unchecked) @usableFromInline var cachedHead = 0

    /// `capacity` is rounded up to a power of two.
    public init(capacity: Int, label: String, owner: UInt64 = 0) {
        self.owner = owner
        var size = 1
        while size < max(capacity, 2) { size <<= 1 }
        self.capacity = size
        self.mask = size - 1
        self.label = label
        guard let pages = runviz_pages_map(size * MemoryLayout<RuntimeEvent>.stride) else {
            fatalError("no memory for an event ring of \(size) events")
        }
        self.slots = pages.bindMemory(to: RuntimeEvent.self, capacity: size)
    }

    deinit { runviz_pages_unmap(slots, bytes) }

    /// The ring's mapping: what it may hold resident at most.
    public var bytes: Int { capacity * MemoryLayout<RuntimeEvent>.stride }

    /// The producer's position: `recorded(since:)` looks back to it. Producer thread only.
    @inlinable @inline(__always)
    public var mark: Int { tail.load(ordering: .relaxed) }

    /// Whether an event recorded since `mark` matches: the producer's own recent events, which no
    /// later record has overwritten (a slot is reused only `capacity` records on). Producer thread only.
    @inlinable
    public func recorded(since mark: Int, where matches: (RuntimeEvent) -> Bool) -> Bool {
        let end = tail.load(ordering: .relaxed)
        var index = max(mark, end - capacity)
        while index < end {
            if matches(slots[index & mask]) { return true }
            index += 1
        }
        return false
    }

    /// Appends an event, or counts it as dropped when the ring is full. Producer thread only.
    @inlinable @inline(__always)
    public func record(_ event: RuntimeEvent) {
        let t = tail.load(ordering: .relaxed)
        if t - cachedHead >= capacity {
            cachedHead = head.load(ordering: .acquiring)
            if t - cachedHead >= capacity {
                droppedCount.store(droppedCount.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
                return
            }
        }
        slots[t & mask] = event
        tail.store(t + 1, ordering: .releasing)
    }

    /// Hands every recorded event to `body` in order and frees their slots. Consumer only.
    @discardableResult
    public func drain(_ body: (RuntimeEvent) -> Void) -> Int {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        var i = h
        while i < t {
            body(slots[i & mask])
            i += 1
        }
        head.store(t, ordering: .releasing)
        return t - h
    }

    /// Appends every recorded event to `events` in order (in at most two bulk copies) and frees
    /// their slots; returns how many. Consumer only.
    @discardableResult
    public func drain(into events: inout [RuntimeEvent]) -> Int {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        let n = t - h
        guard n > 0 else { return 0 }
        let start = h & mask
        let first = min(n, capacity - start)
        events.append(contentsOf: UnsafeBufferPointer(start: slots + start, count: first))
        if first < n { events.append(contentsOf: UnsafeBufferPointer(start: slots, count: n - first)) }
        head.store(t, ordering: .releasing)
        return n
    }

    /// The events recorded and not yet drained, oldest first, read in place: at most two stretches
    /// of the ring (`second` wraps around to its start; empty when it does not), and `end`, the
    /// position to `release(upTo:)` once they are read. The producer leaves them alone until then.
    /// Consumer only.
    public func filled() -> (
        first: UnsafeBufferPointer<RuntimeEvent>, second: UnsafeBufferPointer<RuntimeEvent>, end: Int
    ) {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        let n = t - h
        let start = h & mask
        let first = min(n, capacity - start)
        return (
            UnsafeBufferPointer(start: slots + start, count: first),
            UnsafeBufferPointer(start: slots, count: n - first), t
        )
    }

    /// Frees the slots `filled` gave, up to its `end`. Consumer only.
    public func release(upTo end: Int) { head.store(end, ordering: .releasing) }

    /// Events waiting to be drained.
    public var count: Int { tail.load(ordering: .acquiring) - head.load(ordering: .acquiring) }

    /// Events discarded because the ring was full.
    public var dropped: UInt64 { droppedCount.load(ordering: .relaxed) }
}
