// Facts about Registration's readiness protocol, driven by hand (no epoll): the test plays the
// driver by calling `ready`, and waiter tasks run on a runtime's workers. A registration of an fd
// nobody opened is enough, since Registration itself never calls the kernel before its owner's pin
// is released, which these tests never do.

import Glibc
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

    struct Outcome: Equatable {
        let interest: Interest
        let result: Registration.WaitResult
    }

    /// Starts a task that waits once for `interest` (empty at `emptyAt`) and then appends how it ended.
    @discardableResult
    func startWaiting(
        for interest: Interest, emptyAt: UInt64? = nil, _ outcomes: Outcomes<Outcome>
    ) -> JoinHandle<Void> {
        runtime.spawn(name: "waiter") { [registration, recorder] in
            let result = await registration.wait(for: interest, emptyAt: emptyAt, recorder: recorder)
            outcomes.append(Outcome(interest: interest, result: result))
        }
    }

    /// Parks recorded on this test's recorder (the waiters run on another hub's workers, so theirs
    /// land in this hub's shared ring).
    func parksRecorded() -> Int {
        var parks = 0
        for ring in hub.rings { _ = ring.drain { if $0.kind == .parked { parks += 1 } } }
        return parks
    }

    func waiters(_ interest: Interest) -> Int { registration.state.withLock { $0[interest].waiters.count } }

    @Test func readinessThatArrivesBeforeTheWaitIsSeenWithoutParking() {
        defer { runtime.shutdown() }
        registration.ready(.read, recorder: recorder)
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, outcomes)
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [Outcome(interest: .read, result: .ready)])
        #expect(parksRecorded() == 0)
    }

    @Test func anEdgeAfterTheSyscallStartedIsSeenByItsWait() {
        defer { runtime.shutdown() }
        let before = registration.edges(.read)
        registration.ready(.read, recorder: recorder)
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, emptyAt: before, outcomes)
        #expect(eventually { outcomes.count == 1 })
        #expect(parksRecorded() == 0)
    }

    @Test func anEmptySyscallAtTheLatestEdgeMakesTheNextWaitPark() {
        defer { runtime.shutdown() }
        registration.ready(.read, recorder: recorder)
        registration.ready(.read, recorder: recorder)
        registration.sawEmpty(.read, at: registration.edges(.read))
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, outcomes)
        #expect(eventually { waiters(.read) == 1 })
        #expect(outcomes.count == 0)
        _ = registration.close()
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [Outcome(interest: .read, result: .closed)])
    }

    @Test func readinessAfterTheParkWakesExactlyTheWaitersOfThatDirection() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, emptyAt: 0, outcomes)
        startWaiting(for: .write, emptyAt: 0, outcomes)
        #expect(eventually { waiters(.read) == 1 && waiters(.write) == 1 })
        #expect(parksRecorded() == 2)

        registration.ready(.read, recorder: recorder)
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [Outcome(interest: .read, result: .ready)])
        #expect(waiters(.write) == 1)

        registration.ready(.write, recorder: recorder)
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.map(\.interest) == [.read, .write])
    }

    @Test func oneEdgeWakesEveryWaiterOfItsDirection() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        for _ in 0..<3 { startWaiting(for: .read, emptyAt: 0, outcomes) }
        #expect(eventually { waiters(.read) == 3 })
        registration.ready(.read, recorder: recorder)
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all.allSatisfy { $0.result == .ready })
        #expect(waiters(.read) == 0)
    }

    @Test func hangupWakesTheWaitersOfBothDirections() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, emptyAt: 0, outcomes)
        startWaiting(for: .write, emptyAt: 0, outcomes)
        #expect(eventually { waiters(.read) == 1 && waiters(.write) == 1 })
        registration.ready(.hangup, recorder: recorder)
        #expect(eventually { outcomes.count == 2 })
        #expect(Set(outcomes.all.map(\.interest)) == [.read, .write])
    }

    @Test func closeWakesEveryWaiterAndLaterWaitsReturnAtOnce() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .read, emptyAt: 0, outcomes)
        startWaiting(for: .read, emptyAt: 0, outcomes)
        startWaiting(for: .write, emptyAt: 0, outcomes)
        #expect(eventually { waiters(.read) == 2 && waiters(.write) == 1 })
        #expect(registration.close())
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all.allSatisfy { $0.result == .closed })
        #expect(registration.isClosed)
        #expect(!registration.close())

        _ = parksRecorded()
        startWaiting(for: .read, outcomes)
        startWaiting(for: .write, outcomes)
        #expect(eventually { outcomes.count == 5 })
        #expect(parksRecorded() == 0)
    }

    @Test func aClosedRegistrationRunsNoSyscall() {
        defer { runtime.shutdown() }
        _ = registration.close()
        var called = false
        #expect(throws: SystemError("read", errno: EBADF)) {
            try registration.perform("read") { _ throws(SystemError) in called = true }
        }
        #expect(!called)
    }

    @Test func aCancelledWaitEndsCancelledAndLeavesNoWaiter() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        let cancelled = startWaiting(for: .read, emptyAt: 0, outcomes)
        startWaiting(for: .read, emptyAt: 0, outcomes)
        #expect(eventually { waiters(.read) == 2 })
        cancelled.cancel()
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [Outcome(interest: .read, result: .cancelled)])
        #expect(waiters(.read) == 1)
        // The other waiter still gets the next edge.
        registration.ready(.read, recorder: recorder)
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.last == Outcome(interest: .read, result: .ready))
    }

    /// The proofs carried by the parks recorded on this test's recorder, in order.
    func proofsRecorded() -> [ReadinessProof?] {
        var proofs: [ReadinessProof?] = []
        for ring in hub.rings {
            _ = ring.drain { if $0.kind == .parked { proofs.append(ReadinessProof(parkedExtra: $0.extra)) } }
        }
        return proofs
    }

    @Test func aShortWriteClearsWriteReadinessUntilTheNextEdgeAndTheParkSaysSo() {
        defer { runtime.shutdown() }
        #expect(!registration.isCleared(.write), "before any proof the first try is the syscall")
        registration.ready(.write, recorder: recorder)
        registration.sawShortWrite(at: registration.edges(.write))
        #expect(registration.isCleared(.write))
        #expect(!registration.isCleared(.read), "the other direction keeps its readiness")
        let outcomes = Outcomes<Outcome>()
        startWaiting(for: .write, outcomes)
        #expect(eventually { waiters(.write) == 1 })
        #expect(proofsRecorded() == [.shortWrite])
        registration.ready(.write, recorder: recorder)
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [Outcome(interest: .write, result: .ready)])
        #expect(!registration.isCleared(.write), "room in the send buffer brought an edge")
    }

    @Test func eachParkOnAnFdNamesTheSyscallThatProvedItNotReady() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<Outcome>()
        registration.ready(.read, recorder: recorder)
        registration.sawShortRead(at: registration.edges(.read))
        startWaiting(for: .read, outcomes)
        #expect(eventually { waiters(.read) == 1 })
        registration.ready(.read, recorder: recorder)
        #expect(eventually { outcomes.count == 1 })
        startWaiting(for: .read, emptyAt: registration.edges(.read), outcomes)
        #expect(eventually { waiters(.read) == 1 })
        _ = registration.close()
        #expect(eventually { outcomes.count == 2 })
        #expect(proofsRecorded() == [.shortRead, .wouldBlock])
    }

    @Test func afterAHangUpAShortWriteLeavesWriteReadinessAlone() {
        defer { runtime.shutdown() }
        registration.ready([.read, .hangup], recorder: recorder)
        registration.sawShortWrite(at: registration.edges(.write))
        #expect(!registration.isCleared(.write), "no edge would come to end the wait")
    }
}
