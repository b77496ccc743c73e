// IndexRing: a fixed-capacity FIFO of slot indices (the connect queue). Capacity is a power of two at least
// the number of slots; a slot is enqueued at most once at a time (Connection.inQueue), so it never fills.

/// A bounded FIFO of Int32 slot indices with preallocated storage.
struct IndexRing {
    private let storage: UnsafeMutablePointer<Int32>
    private let mask: Int
    private var head = 0
    private var tail = 0

    init(minimumCapacity: Int) {
        var capacity = 1
        while capacity < max(minimumCapacity, 1) { capacity <<= 1 }
        storage = .allocate(capacity: capacity)
        mask = capacity - 1
    }

    var isEmpty: Bool { head == tail }
    var count: Int { tail - head }

    mutating func push(_ value: Int32) {
        precondition(tail - head <= mask, "IndexRing overflow")
        storage[tail & mask] = value
        tail += 1
    }

    mutating func pop() -> Int32? {
        guard head != tail else { return nil }
        let value = storage[head & mask]
        head += 1
        return value
    }

    func deallocate() {
        storage.deallocate()
    }
}
