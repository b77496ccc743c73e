// The aggregator's map from a task id or an fd to its model: a hash table with open addressing
// (linear probing) and a multiplicative hash. Why not Dictionary: every event costs several lookups,
// and Dictionary hashes each key with SipHash (a keyed hash that resists chosen collisions), which
// was most of the aggregator's work per event; the keys here are runtime-made numbers (sequential
// task ids, small fds), so Fibonacci hashing spreads them well at a few instructions.
//
// The slots live in one Storage object: a key array and a value array of the same power-of-two
// length, each value initialized exactly where its key is not 0. Values are plain (not optional)
// and updated in place through the storage's pointer: a lookup and an update cost one uniqueness
// check of the storage, no optional's tag and no array's bounds or uniqueness checks.
//
// Invariants: a slot is empty iff its key is 0 (key 0 lives in `zeroValue`); every key sits in the
// probe run that starts at its home slot with no empty slot in between (removal shifts later
// entries back, so there are no tombstones); at most 3/4 of the slots are full (and
// `shrinkIfSparse` gives back what a burst left). A value type: copies share the storage until one
// of them changes (copy-on-write), so copies are independent, as the observer's copies and the
// history's keyframes need.

struct IDTable<Value> {
    /// The slots (nil: none allocated yet).
    private var storage: Storage?
    private var zeroValue: Value?
    /// 64 − log2(slots): a key's home slot is the top bits of its product with the golden ratio.
    private var shift: UInt64 = 64
    private(set) var count = 0

    /// The keys and values of a table's slots; shared by copies of the table until one changes.
    final class Storage {
        let slots: Int
        let keys: UnsafeMutablePointer<UInt64>
        /// Initialized where `keys` is not 0.
        let values: UnsafeMutablePointer<Value>

        init(slots: Int) {
            self.slots = slots
            keys = .allocate(capacity: slots)
            keys.initialize(repeating: 0, count: slots)
            values = .allocate(capacity: slots)
        }

        deinit {
            // Plain values (the models' records) need no deinitializing: no pass over the slots.
            if !_isPOD(Value.self) {
                for i in 0..<slots where keys[i] != 0 { (values + i).deinitialize(count: 1) }
            }
            keys.deallocate()
            values.deallocate()
        }

        /// A storage of its own with the same entries in the same slots: for plain values, two
        /// bulk copies of memory (the copy a keyframe of 10,000 tasks costs on the next event).
        func copy() -> Storage {
            let copy = Storage(slots: slots)
            copy.keys.update(from: keys, count: slots)
            if _isPOD(Value.self) {
                UnsafeMutableRawPointer(copy.values).copyMemory(
                    from: values, byteCount: slots * MemoryLayout<Value>.stride)
            } else {
                for i in 0..<slots where keys[i] != 0 { (copy.values + i).initialize(to: values[i]) }
            }
            return copy
        }
    }

    init() {}

    var isEmpty: Bool { count == 0 }

    /// Slots allocated (entries fit up to three quarters of them).
    var capacity: Int { storage?.slots ?? 0 }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot holding `key` (nil: absent). Not for key 0.
    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        guard let storage else { return nil }
        let keys = storage.keys
        let mask = storage.slots - 1
        var i = home(key)
        // i stays masked into the slots, and a table is never full, so the probe meets the key or
        // an empty slot.
        while true {
            let k = keys[i]
            if k == key { return i }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Gives this table a storage of its own before a change. Only with a storage.
    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage!) { storage = storage!.copy() }
    }

    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zeroValue }
            guard let i = slot(of: key) else { return nil }
            return storage!.values[i]
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
        makeUnique()
        return body(&storage!.values[i])
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
        let i: Int
        if let found = slot(of: key) {
            makeUnique()
            i = found
        } else {
            i = insertNew(key, make())
        }
        return body(&storage!.values[i])
    }

    mutating func insert(_ key: UInt64, _ value: Value) {
        if key == 0 {
            if zeroValue == nil { count += 1 }
            zeroValue = value
        } else if let i = slot(of: key) {
            makeUnique()
            storage!.values[i] = value
        } else {
            _ = insertNew(key, value)
        }
    }

    /// Puts an absent key in; returns its slot. The storage is this table's own after it.
    private mutating func insertNew(_ key: UInt64, _ value: Value) -> Int {
        if (count + 1) * 4 > capacity * 3 { grow() } else { makeUnique() }
        count += 1
        let storage = storage!
        let mask = storage.slots - 1
        var i = home(key)
        while storage.keys[i] != 0 { i = (i + 1) & mask }
        storage.keys[i] = key
        (storage.values + i).initialize(to: value)
        return i
    }

    private mutating func grow() { rehash(slots: Swift.max(16, capacity * 2)) }

    /// Moves every entry into a storage of `slots` slots (a power of two, more than `count * 4 / 3`);
    /// a storage shared with a copy is copied from, not moved from.
    private mutating func rehash(slots: Int) {
        let unique = storage != nil && isKnownUniquelyReferenced(&storage!)
        let new = Storage(slots: slots)
        shift = UInt64(64 - slots.trailingZeroBitCount)
        let mask = slots - 1
        if let old = storage {
            for j in 0..<old.slots where old.keys[j] != 0 {
                var i = home(old.keys[j])
                while new.keys[i] != 0 { i = (i + 1) & mask }
                new.keys[i] = old.keys[j]
                if unique {
                    (new.values + i).moveInitialize(from: old.values + j, count: 1)
                    old.keys[j] = 0
                } else {
                    (new.values + i).initialize(to: old.values[j])
                }
            }
        }
        storage = new
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
        makeUnique()
        count -= 1
        let storage = storage!
        let (keys, values) = (storage.keys, storage.values)
        let old = (values + hole).move()
        keys[hole] = 0
        // Backward-shift: move each later entry of the run into the hole when its home slot does not
        // lie (cyclically) between the hole and its own slot, so no lookup meets a false end.
        let mask = storage.slots - 1
        var i = (hole + 1) & mask
        while keys[i] != 0 {
            let h = home(keys[i])
            if (i &- h) & mask >= (i &- hole) & mask {
                keys[hole] = keys[i]
                (values + hole).moveInitialize(from: values + i, count: 1)
                keys[i] = 0
                hole = i
            }
            i = (i + 1) & mask
        }
        return old
    }

    /// Gives back the slots a burst left behind: below an eighth full, the table moves into one
    /// half full. Not done on removal, where a table that fills and empties on every turn would
    /// move all its entries twice a turn; the owner calls this now and then (the aggregator: once
    /// a second).
    mutating func shrinkIfSparse() {
        guard capacity > 16, count * 8 < capacity else { return }
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

    /// Calls `body` with every entry, its value read in place (no copy of it is made to call
    /// `body`), in no particular order: key 0 first, then by slot.
    @inline(__always)
    func forEachEntry(_ body: (UInt64, borrowing Value) -> Void) {
        if let zeroValue { body(0, zeroValue) }
        guard let storage else { return }
        for i in 0..<storage.slots where storage.keys[i] != 0 { body(storage.keys[i], storage.values[i]) }
    }

    /// Every value, in no particular order.
    var allValues: [Value] { map(\.value) }
}

extension IDTable: Sequence {
    /// Every entry, in no particular order (key 0 first, then by slot).
    struct Iterator: IteratorProtocol {
        /// Keeps the storage alive while its slots are read through the pointers below.
        fileprivate let table: IDTable
        private let keys: UnsafeMutablePointer<UInt64>?
        private let values: UnsafeMutablePointer<Value>?
        private let slots: Int
        private var position = -1

        fileprivate init(table: IDTable) {
            self.table = table
            keys = table.storage?.keys
            values = table.storage?.values
            slots = table.capacity
        }

        mutating func next() -> (key: UInt64, value: Value)? {
            if position < 0 {
                position = 0
                if let zero = table.zeroValue { return (0, zero) }
            }
            guard let keys, let values else { return nil }
            while position < slots {
                let i = position
                position += 1
                if keys[i] != 0 { return (keys[i], values[i]) }
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

// A storage is changed only by the table that holds it alone (copy-on-write), so sharing one
// across threads shares immutable memory.
extension IDTable: @unchecked Sendable where Value: Sendable {}
extension IDTable.Storage: @unchecked Sendable where Value: Sendable {}
