// Facts about shutting a runtime down from every place it can happen: from a task holding the last
// reference (no self-join, no use of a freed scheduler: run these under AddressSanitizer), while a
// thread waits in `blockOn` (it returns), before a spawn (the handle finishes at once), and by
// dropping the runtime without calling `shutdown` (it deinits and its workers stop). Each blocking
// step runs on its own thread and is waited for with a deadline, so a hang fails the test.

import Dispatch
import Foundation
import RunvizLock
import RunvizTelemetry
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizRuntime

@Suite struct ShutdownTests {
    /// Runs `body` on a thread of its own; true if it returned within `seconds`.
    func returns(within seconds: Double = 10, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + seconds) == .success
    }

    /// The only strong reference to a runtime, for a task to take and drop.
    final class Owner: Sendable {
        private let runtime: Lock<Runtime?>
        init(_ runtime: Runtime) { self.runtime = Lock(runtime) }
        func take() -> Runtime? {
            runtime.withLock { r in
                defer { r = nil }; return r
            }
        }
    }

    struct Watched: Sendable {
        weak var runtime: Runtime?
        let hub: TelemetryHub
        var workersStopped: Bool { hub.workers.allSatisfy { $0.activity == .stopped } }
    }

    /// A runtime owned by `Owner` alone, and a weak view of it.
    func ownedRuntime(workers: Int) throws -> (Owner, Watched) {
        let runtime = try Runtime(RuntimeConfiguration(workers: workers))
        return (Owner(runtime), Watched(runtime: runtime, hub: runtime.telemetry))
    }

    @Test(arguments: [1, 2])
    func aTaskDroppingTheLastReferenceShutsTheRuntimeDown(workers: Int) throws {
        let (owner, watched) = try ownedRuntime(workers: workers)
        let done = Atomic<Bool>(false)
        do {
            let runtime = try #require(owner.take())
            let again = Owner(runtime)
            runtime.spawn(name: "last-owner") {
                // Wait until the test has let go, so this task's drop is the last one.
                while !done.load(ordering: .acquiring) { await Task.yield() }
                _ = again.take()
            }
        }
        done.store(true, ordering: .releasing)
        #expect(eventually { watched.runtime == nil })
        #expect(eventually { watched.workersStopped })
    }

    @Test(arguments: [1, 2])
    func shutdownFromATaskHoldingTheLastReferenceReturnsAndStopsEveryWorker(workers: Int) throws {
        let (owner, watched) = try ownedRuntime(workers: workers)
        let returned = Atomic<Bool>(false)
        let runtime = try #require(owner.take())
        let inTask = Owner(runtime)
        runtime.spawn(name: "shutter") {
            inTask.take()?.shutdown()
            returned.store(true, ordering: .releasing)
        }
        _ = consume runtime
        #expect(eventually { returned.load(ordering: .acquiring) })
        #expect(eventually { watched.runtime == nil })
        #expect(eventually { watched.workersStopped })
    }

    @Test func shutdownWhileBlockOnWaitsMakesItThrowShutDown() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        let channel = Channel<Int>(capacity: 1)
        let thrown = Lock<Error?>(nil)
        let waiter = DispatchSemaphore(value: 0)
        Thread {
            do { _ = try runtime.blockOn { try await channel.receive() } } catch { thrown.withLock { $0 = error } }
            waiter.signal()
        }.start()
        #expect(eventually { channel.parkedReceivers == 1 })

        #expect(returns { runtime.shutdown() })
        #expect(waiter.wait(timeout: .now() + 10) == .success, "blockOn still waits after shutdown")
        #expect(thrown.withLock { $0 as? RuntimeError } == .shutDown)
        #expect(throws: RuntimeError.shutDown) { try runtime.blockOn { 1 } }
    }

    @Test func spawnAfterShutdownFinishesAtOnceWithShutDown() async throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        runtime.shutdown()
        let handle = runtime.spawn(name: "late") { 42 }
        #expect(handle.isFinished)
        guard handle.isFinished else { return }
        await #expect(throws: RuntimeError.shutDown) { try await handle.value }
        let result = await handle.result
        #expect(throws: RuntimeError.shutDown) { try result.get() }
    }

    @Test(arguments: [1, 2])
    func aRuntimeDroppedWithoutShutdownDeinitsAndStopsItsWorkers(workers: Int) throws {
        let (owner, watched) = try ownedRuntime(workers: workers)
        #expect(
            returns {
                let runtime = owner.take()
                _ = try? runtime?.blockOn { 1 }
            })
        #expect(watched.runtime == nil)
        #expect(watched.workersStopped)
    }
}
