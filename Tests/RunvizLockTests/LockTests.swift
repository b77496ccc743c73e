// Lock: mutual exclusion under contention (the control loop ThreadSanitizer used to report as a
// race under the standard library's Mutex), values that leave the lock, and errors that pass through.

import Foundation
import RunvizLock
import Testing

@Suite struct LockTests {
    @Test func fourThreadsIncrementingUnderTheLockLoseNoIncrement() {
        let counter = Lock(0)
        let threads = 4
        let increments = 100_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == threads * increments)
    }

    @Test func theBodysResultAndErrorPassThrough() {
        struct Refused: Error {}
        let values = Lock([1, 2, 3])
        #expect(values.withLock { $0.removeLast() } == 3)
        #expect(throws: Refused.self) { try values.withLock { _ throws(Refused) in throw Refused() } }
        #expect(values.withLock { $0 } == [1, 2])
    }
}
