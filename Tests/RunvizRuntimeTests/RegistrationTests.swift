// Facts about Registration's readiness protocol, driven by hand (no epoll): the test plays the
// driver by calling `ready`, and waiter tasks run on a runtime's workers. A registration of an fd
// nobody opened is enough, since Registration itself never calls the kernel.

import RunvizTelemetry
import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct RegistrationTests {
    let runtime: Runtime
    let hub = TelemetryHub(workerCount: 1)
    let recorder: Recorder
    let registration = Registration(fd: 1_000, generation: 1)

    init() throws {
        runtime = try Runtime(RuntimeConfiguration(workers: 1))
        recorder = Recorder(hub: hub)
    }

    /// Starts a task that waits once for `interest` and then appends it to `outcomes`.
    func startWaiting(for interest: Interest, _ outcomes: Outcomes<Interest>) {
        runtime.spawn(name: "waiter") { [registration, recorder] in
            await registration.wait(for: interest, recorder: recorder)
            outcomes.append(interest)
        }
    }

    /// Parks recorded on this test's recorder (the waiters run on another hub's workers, so theirs
    /// land in this hub's shared ring).
    func parksRecorded() -> Int {
        var parks = 0
        for ring in hub.rings { _ = ring.drain { if $0.kind == .parked { parks += 1 } } }
        return parks
    }

    var readWaiterParked: Bool { registration.state.withLock { $0.readWaiter != nil } }
    var writeWaiterParked: Bool { registration.state.withLock { $0.writeWaiter != nil } }

    @Test func readinessThatArrivesBeforeTheWaitIsConsumedWithoutParking() {
        defer { runtime.shutdown() }
        registration.ready(.read, recorder: recorder)
        let outcomes = Outcomes<Interest>()
        startWaiting(for: .read, outcomes)
        #expect(eventually { outcomes.count == 1 })
        #expect(parksRecorded() == 0)
        #expect(!registration.state.withLock { $0.readable })
    }

    @Test func oneEdgeWithNoWaiterSatisfiesOneWaitNotTwo() {
        defer { runtime.shutdown() }
        registration.ready(.read, recorder: recorder)
        registration.ready(.read, recorder: recorder)
        let outcomes = Outcomes<Interest>()
        startWaiting(for: .read, outcomes)
        #expect(eventually { outcomes.count == 1 })
        startWaiting(for: .read, outcomes)
        #expect(eventually { readWaiterParked })
        #expect(outcomes.count == 1)
        _ = registration.close()
        #expect(eventually { outcomes.count == 2 })
    }

    @Test func readinessAfterTheParkWakesExactlyTheWaiterOfThatDirection() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Interest>()
        startWaiting(for: .read, outcomes)
        startWaiting(for: .write, outcomes)
        #expect(eventually { readWaiterParked && writeWaiterParked })
        #expect(parksRecorded() == 2)

        registration.ready(.read, recorder: recorder)
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [.read])
        #expect(writeWaiterParked)
        // The edge went to the waiter, so none is left over for the next wait.
        #expect(!registration.state.withLock { $0.readable })

        registration.ready(.write, recorder: recorder)
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.read, .write])
    }

    @Test func hangupWakesTheWaitersOfBothDirections() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Interest>()
        startWaiting(for: .read, outcomes)
        startWaiting(for: .write, outcomes)
        #expect(eventually { readWaiterParked && writeWaiterParked })
        registration.ready(.hangup, recorder: recorder)
        #expect(eventually { outcomes.count == 2 })
        #expect(Set(outcomes.all) == [.read, .write])
    }

    @Test func closeWakesEveryWaiterAndLaterWaitsReturnAtOnce() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Interest>()
        startWaiting(for: .read, outcomes)
        startWaiting(for: .write, outcomes)
        #expect(eventually { readWaiterParked && writeWaiterParked })
        #expect(registration.close())
        #expect(eventually { outcomes.count == 2 })
        #expect(registration.isClosed)
        #expect(!registration.close())

        _ = parksRecorded()
        startWaiting(for: .read, outcomes)
        startWaiting(for: .write, outcomes)
        #expect(eventually { outcomes.count == 4 })
        #expect(parksRecorded() == 0)
    }
}
