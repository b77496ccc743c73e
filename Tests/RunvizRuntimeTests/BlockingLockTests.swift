// BlockingLock with a time limit: a free lock is taken at once, a held one is given up on after the
// limit (false), and a waiter that gives up loses no wakeup meant for the waiters behind it.

import Foundation
import RunvizLock
import RunvizRuntime
import Testing

@Suite struct BlockingLockTests {
    @Test func aHeldLockIsGivenUpOnAfterTheLimit() {
        let lock = BlockingLock()
        #expect(lock.lock(timeoutNanos: 1_000_000), "free: taken at once")
        let started = Runtime.now
        #expect(!lock.lock(timeoutNanos: 50_000_000))
        let waited = Runtime.now - started
        #expect(waited >= 50_000_000 && waited < 1_000_000_000, "\(waited) ns")
        lock.unlock()
        #expect(!lock.isLocked)
    }

    @Test func aWaiterThatGivesUpLeavesTheNextOneItsWakeup() throws {
        let lock = BlockingLock()
        lock.lock()
        let patient = Lock(false)
        let quitter = Thread {
            _ = lock.lock(timeoutNanos: 100_000_000)
        }
        let waiter = Thread {
            lock.lock()
            patient.withLock { $0 = true }
            lock.unlock()
        }
        quitter.start()
        waiter.start()
        usleep(300_000)
        lock.unlock()
        let deadline = Date().addingTimeInterval(2)
        while !patient.withLock({ $0 }), Date() < deadline { usleep(1_000) }
        #expect(patient.withLock { $0 }, "the waiter behind the one that gave up got the lock")
    }
}
