// Facts about AsyncMutex and cancellation: a cancel wakes a parked `lock` with CancellationError and
// takes it out of the queue; the lock still goes to the next waiter in order; when the hand-over and
// the cancel cross, exactly one of them resumes the waiter and the lock is never left held.

import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct AsyncMutexTests {
    enum Outcome: Hashable, Sendable {
        case acquired(Int), cancelled(Int)
    }

    let runtime: Runtime

    init() throws { runtime = try Runtime(RuntimeConfiguration(workers: 1)) }

    @discardableResult
    func startLocking(_ n: Int, _ mutex: AsyncMutex, _ outcomes: Outcomes<Outcome>) -> JoinHandle<Void> {
        runtime.spawn(name: "locker-\(n)") {
            do {
                try await mutex.lock()
                outcomes.append(.acquired(n))
                mutex.unlock()
            } catch is CancellationError {
                outcomes.append(.cancelled(n))
            }
        }
    }

    @Test func cancelWakesAParkedLockWithCancellationError() {
        defer { runtime.shutdown() }
        let mutex = AsyncMutex()
        #expect(mutex.tryLock())
        let outcomes = Outcomes<Outcome>()
        let waiter = startLocking(1, mutex, outcomes)
        #expect(eventually { mutex.waiterCount == 1 })

        waiter.cancel()
        #expect(eventually { outcomes.all == [.cancelled(1)] })
        #expect(mutex.waiterCount == 0)
        // The cancelled wait took nothing: the holder still holds it, and its unlock frees it.
        #expect(mutex.isLocked)
        mutex.unlock()
        #expect(!mutex.isLocked)
    }

    @Test func theLockSkipsACancelledWaiterAndKeepsTheOrder() {
        defer { runtime.shutdown() }
        let mutex = AsyncMutex()
        #expect(mutex.tryLock())
        let outcomes = Outcomes<Outcome>()
        var waiters: [JoinHandle<Void>] = []
        for n in 0..<3 {
            waiters.append(startLocking(n, mutex, outcomes))
            #expect(eventually { mutex.waiterCount == n + 1 })
        }
        waiters[1].cancel()
        #expect(eventually { outcomes.all == [.cancelled(1)] })
        #expect(mutex.waiterCount == 2)

        mutex.unlock()
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all == [.cancelled(1), .acquired(0), .acquired(2)])
        #expect(!mutex.isLocked)
    }

    @Test func aHandOverThatCrossesTheCancelNeverLeavesTheLockHeld() throws {
        defer { runtime.shutdown() }
        let mutex = AsyncMutex()
        let outcomes = Outcomes<Outcome>()
        for n in 0..<200 {
            try #require(mutex.tryLock())
            let waiter = startLocking(n, mutex, outcomes)
            try #require(eventually { mutex.waiterCount == 1 })
            mutex.unlock()
            waiter.cancel()
            try #require(eventually { outcomes.count == n + 1 })
            // Whichever won, the waiter let go: acquired-then-unlocked, or cancelled and passed on.
            try #require(eventually { !mutex.isLocked })
            try #require(mutex.waiterCount == 0)
        }
    }
}
