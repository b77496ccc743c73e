// Facts about IDTable: after any sequence of inserts, in-place updates and removals (keys that
// collide, key 0, removals in the middle of probe runs) it holds exactly what a Dictionary fed the
// same operations holds; it shrinks when a burst has passed; a copy is independent of the original;
// two tables with the same entries are equal whatever order they were built in.

import Testing

@testable import RunvizObservation

@Suite struct IDTableTests {
    /// A fixed xorshift sequence, so every run checks the same operations.
    struct Steps: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    func same(_ table: IDTable<Int>, _ reference: [UInt64: Int]) -> Bool {
        guard table.count == reference.count else { return false }
        for (k, v) in reference where table[k] != v { return false }
        var seen = 0
        for (k, v) in table {
            guard reference[k] == v else { return false }
            seen += 1
        }
        return seen == reference.count
    }

    @Test func matchesADictionaryUnderRandomOperations() {
        var steps = Steps(state: 0x2545_F491_4F6C_DD1D)
        var table = IDTable<Int>()
        var reference: [UInt64: Int] = [:]
        // Few distinct keys, so inserts, updates and removals all hit present keys often; sequential
        // ids (as Swift numbers tasks) and multiples of a large power of two (same home slot).
        let keys: [UInt64] = (0..<200).map { $0 } + (1...40).map { $0 << 40 }
        for step in 0..<20_000 {
            let key = keys[Int(steps.next() % UInt64(keys.count))]
            switch steps.next() % 4 {
            case 0:
                table[key] = step
                reference[key] = step
            case 1:
                #expect(table.removeValue(forKey: key) == reference.removeValue(forKey: key))
            case 2:
                let updated = table.modify(key) { v -> Int in
                    v += 1
                    return v
                }
                if reference[key] != nil { reference[key]! += 1 }
                #expect(updated == reference[key])
            default:
                table.modify(key, orInsert: { -1 }) { $0 *= 2 }
                reference[key] = (reference[key] ?? -1) * 2
            }
        }
        #expect(same(table, reference))
        table.removeAll { k, _ in k % 3 == 0 }
        reference = reference.filter { k, _ in k % 3 != 0 }
        #expect(same(table, reference))
        #expect(table.contains(0) == (reference[0] != nil))
    }

    @Test func keyZeroIsAKeyLikeAnyOther() {
        var table = IDTable<String>()
        #expect(table[0] == nil)
        table[0] = "stdin"
        table[7] = "seven"
        #expect(table.count == 2)
        #expect(table[0] == "stdin")
        #expect(table.removeValue(forKey: 0) == "stdin")
        #expect(table.count == 1)
        #expect(table.isEmpty == false)
        #expect(table.removeValue(forKey: 7) == "seven")
        #expect(table.isEmpty)
    }

    @Test func aTableShrinksWhenABurstHasPassed() {
        var table = IDTable<Int>()
        for k in 1...10_000 { table[UInt64(k)] = k }
        #expect(table.capacity == 16_384)
        for k in 1...9_990 { table.removeValue(forKey: UInt64(k)) }
        #expect(table.count == 10)
        #expect(table.capacity == 16_384, "removing gives nothing back")
        table.shrinkIfSparse()
        #expect(table.capacity == 32, "the smallest table at most half full")
        table.shrinkIfSparse()
        #expect(table.capacity == 32)
        #expect((9_991...10_000).allSatisfy { table[UInt64($0)] == $0 })
    }

    @Test func aCopyIsIndependent() {
        var table = IDTable<Int>()
        for k in 1...100 { table[UInt64(k)] = k }
        var copy = table
        copy.modify(5) { $0 = 500 }
        copy.removeValue(forKey: 6)
        #expect(table[5] == 5)
        #expect(table[6] == 6)
        #expect(copy[5] == 500)
        #expect(copy[6] == nil)
        #expect(table != copy)
    }

    @Test func equalityIgnoresTheOrderOfInsertion() {
        var a = IDTable<Int>()
        var b = IDTable<Int>()
        let keys: [UInt64] = [3 << 40, 1 << 40, 9, 2 << 40, 0]
        for k in keys { a[k] = Int(k % 1000) }
        for k in keys.reversed() { b[k] = Int(k % 1000) }
        #expect(a == b)
        b[9] = 10
        #expect(a != b)
    }
}
