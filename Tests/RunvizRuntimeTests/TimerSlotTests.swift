// Facts about TimerSlot: of the driver's fire (`take`) and the task's cancel, exactly one gets the
// sleeper's continuation; a cancel before the arm makes the arm fail. A sleeper task on a runtime
// arms the slot the way Scheduler.sleep does; the test plays the driver and the canceller.

import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct TimerSlotTests {
    enum Outcome: Equatable, Sendable {
        case armed, refused, fired, cancelled
    }

    let runtime: Runtime
    let slot = TimerSlot(task: 7, deadline: 1_000)

    init() throws { runtime = try Runtime(RuntimeConfiguration(workers: 1)) }

    /// Starts a sleeper that arms the slot (or resumes itself if the arm is refused), then reports how it woke.
    func startSleeper(_ outcomes: Outcomes<Outcome>) {
        runtime.spawn(name: "sleeper") { [slot] in
            do {
                try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Void, Error>) in
                    guard slot.arm(c) else {
                        outcomes.append(.refused)
                        c.resume(throwing: CancellationError())
                        return
                    }
                    outcomes.append(.armed)
                }
                outcomes.append(.fired)
            } catch {
                outcomes.append(.cancelled)
            }
        }
    }

    @Test func aFireTakesTheContinuationAndALaterCancelFindsNone() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        startSleeper(outcomes)
        #expect(eventually { outcomes.count == 1 })
        let fire = slot.take()
        #expect(fire != nil)
        #expect(slot.cancel() == nil)
        #expect(slot.take() == nil)
        if case .continuation(let c)? = fire { c.resume() }
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.armed, .fired])
    }

    @Test func aCancelTakesTheContinuationAndALaterFireFindsNone() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        startSleeper(outcomes)
        #expect(eventually { outcomes.count == 1 })
        let cancel = slot.cancel()
        #expect(cancel != nil)
        #expect(slot.take() == nil)
        cancel?.resume(throwing: CancellationError())
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.armed, .cancelled])
    }

    @Test func anArmAfterACancelFailsAndTheSleeperResumesItself() {
        defer { runtime.shutdown() }
        #expect(slot.cancel() == nil)
        let outcomes = Outcomes<Outcome>()
        startSleeper(outcomes)
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.refused, .cancelled])
        #expect(slot.take() == nil)
    }
}
