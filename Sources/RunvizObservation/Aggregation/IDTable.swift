// The aggregator's map from a task id or an fd to its model: a hash table with open addressing
// (linear probing) and a multiplicative hash. Why not Dictionary: every event costs several lookups,
// and Dictionary hashes each key with SipHash (a keyed hash that resists chosen collisions), which
// was most of the aggregator's work per event; the keys here are runtime-made numbers (sequential
// task ids, small fds), so Fibonacci hashing spreads them well at a few instructions.
//
// Invariants: `keys` and `values` have the same power-of-two length (or none); a slot is empty iff
// its key is 0 (key 0 lives in `zeroValue`); every key sits in the probe run that starts at its
// home slot with no empty slot in between (removal shifts later entries back, so there are no
// tombstones); at most 3/4 of the slots are full (and `shrinkIfSparse` gives back what a burst
// left). A value type with arrays inside: copies are independent (copy-on-write), as the
// observer's copies and the history's keyframes need.

struct IDTable<Value> {
    private var keys: [UInt64] = []
    private var values: [Value?] = []
    private var zeroValue: Value?
    /// 64 − log2(slots): a key's home slot is the top bits of its product with the golden ratio.
    private var shift: UInt64 = 64
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// Slots allocated (entries fit up to three quarters of them).
    var capacity: Int { keys.count }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot holding `key` (nil: absent). Not for key 0.
    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        keys.withUnsafeBufferPointer { keys -> Int? in
            guard !keys.isEmpty else { return nil }
            let mask = keys.count - 1
            var i = home(key)
            // Unchecked reads: i stays masked into the buffer, and a table is never full, so the
            // probe meets the key or an empty slot.
            while true {
                let k = keys[i]
                if k == key { return i }
                if k == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zeroValue }
            return slot(of: key).flatMap { values[$0] }
        }
        set {
            if let newValue { insert(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    func contains(_ key: UInt64) -> Bool { key == 0 ? zeroValue != nil : slot(of: key) != nil }

    /// Runs `body` on `key`'s value in place; nil (and `body` not run) when `key` is absent.
    @inline(__always)
    mutating func modify<R>(_ key: UInt64, _ body: (inout Value) -> R) -> R? {
        if key == 0 {
            guard zeroValue != nil else { return nil }
            return body(&zeroValue!)
        }
        guard let i = slot(of: key) else { return nil }
        return body(&values[i]!)
    }

    /// Runs `body` on `key`'s value in place, inserting `make()` first when `key` is absent.
    @inline(__always)
    mutating func modify<R>(_ key: UInt64, orInsert make: () -> Value, _ body: (inout Value) -> R) -> R {
        if key == 0 {
            if zeroValue == nil {
                zeroValue = make()
                count += 1
            }
            return body(&zeroValue!)
        }
        if let i = slot(of: key) { return body(&values[i]!) }
        let i = insertNew(key, make())
        return body(&values[i]!)
    }

    mutating func insert(_ key: UInt64, _ value: Value) {
        if key == 0 {
            if zeroValue == nil { count += 1 }
            zeroValue = value
        } else if let i = slot(of: key) {
            values[i] = value
        } else {
            _ = insertNew(key, value)
        }
    }

    /// Puts an absent key in; returns its slot.
    private mutating func insertNew(_ key: UInt64, _ value: Value) -> Int {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        count += 1
        let start = home(key)
        let i = keys.withUnsafeMutableBufferPointer { keys in
            let mask = keys.count - 1
            var i = start
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = key
            return i
        }
        values[i] = value
        return i
    }

    private mutating func grow() { rehash(slots: Swift.max(16, keys.count * 2)) }

    /// Moves every entry into a table of `slots` slots (a power of two, more than `count * 4 / 3`).
    private mutating func rehash(slots: Int) {
        let oldKeys = keys
        var oldValues = values
        keys = Array(repeating: 0, count: slots)
        values = Array(repeating: nil, count: slots)
        shift = UInt64(64 - slots.trailingZeroBitCount)
        let mask = slots - 1
        for j in oldKeys.indices where oldKeys[j] != 0 {
            var i = home(oldKeys[j])
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            values[i] = oldValues[j].take()
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: UInt64) -> Value? {
        if key == 0 {
            guard let old = zeroValue else { return nil }
            zeroValue = nil
            count -= 1
            return old
        }
        guard var hole = slot(of: key) else { return nil }
        count -= 1
        let shift = shift
        return keys.withUnsafeMutableBufferPointer { keys in
            values.withUnsafeMutableBufferPointer { values in
                let old = values[hole].take()
                keys[hole] = 0
                // Backward-shift: move each later entry of the run into the hole when its home slot
                // does not lie (cyclically) between the hole and its own slot, so no lookup meets a
                // false end.
                let mask = keys.count - 1
                var i = (hole + 1) & mask
                while keys[i] != 0 {
                    let h = Int(truncatingIfNeeded: (keys[i] &* 0x9E37_79B9_7F4A_7C15) >> shift)
                    if (i &- h) & mask >= (i &- hole) & mask {
                        keys[hole] = keys[i]
                        values[hole] = values[i].take()
                        keys[i] = 0
                        hole = i
                    }
                    i = (i + 1) & mask
                }
                return old
            }
        }
    }

    /// Gives back the slots a burst left behind: below an eighth full, the table moves into one
    /// half full. Not done on removal, where a table that fills and empties on every turn (a reply
    /// in flight per connection) would move all its entries twice a turn; the owner calls this
    /// now and then (the aggregator: once a second).
    mutating func shrinkIfSparse() {
        guard keys.count > 16, count * 8 < keys.count else { return }
        var slots = 16
        while slots < count * 2 { slots *= 2 }
        rehash(slots: slots)
    }

    /// Removes every entry for which `shouldRemove` is true.
    mutating func removeAll(where shouldRemove: (UInt64, Value) -> Bool) {
        var gone: [UInt64] = []
        for (k, v) in self where shouldRemove(k, v) { gone.append(k) }
        for k in gone { removeValue(forKey: k) }
    }

    /// Every value, in no particular order.
    var allValues: [Value] { map(\.value) }
}

extension IDTable: Sequence {
    /// Every entry, in no particular order (key 0 first, then by slot).
    struct Iterator: IteratorProtocol {
        fileprivate let table: IDTable
        fileprivate var position = -1

        mutating func next() -> (key: UInt64, value: Value)? {
            if position < 0 {
                position = 0
                if let zero = table.zeroValue { return (0, zero) }
            }
            while position < table.keys.count {
                let i = position
                position += 1
                if table.keys[i] != 0 { return (table.keys[i], table.values[i]!) }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(table: self) }

    var underestimatedCount: Int { count }
}

extension IDTable: Equatable where Value: Equatable {
    /// The same keys with the same values, however they are laid out.
    static func == (a: IDTable, b: IDTable) -> Bool {
        guard a.count == b.count else { return false }
        return a.allSatisfy { k, v in b[k] == v }
    }
}

extension IDTable: Sendable where Value: Sendable {}
