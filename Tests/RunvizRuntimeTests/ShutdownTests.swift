// Facts about shutting a runtime down from every place it can happen: from a task holding the last
// reference (no self-join, no use of a freed scheduler: run these under AddressSanitizer), while a
// thread waits in `blockOn` (it returns), before a spawn (the handle finishes at once), and by
// dropping the runtime without calling `shutdown` (it deinits and its workers stop). And what it
// does to tasks: each one parked in any wait is cancelled and runs to its end, letting go of what
// it holds; one that ignores cancellation is abandoned at the timeout, and counted. Each blocking
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
        let channel = try Channel<Int>(capacity: 1)
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

    /// Counts the instances freed: what a task holds is let go when the task ends.
    final class Held: Sendable {
        final class Count: Sendable { let value = Atomic<Int>(0) }
        let freed: Count
        init(_ freed: Count) { self.freed = freed }
        deinit { freed.value.add(1, ordering: .relaxed) }
    }

    @Test func shutdownCancelsEveryParkedTaskAndEachRunsToItsEndLettingGoOfWhatItHolds() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        let ended = Atomic<Int>(0)
        let parked = Atomic<Int>(0)
        let freed = Held.Count()
        let listener = try TCPListener(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: 0))
        let (a, b) = try nonBlockingSocketPair()
        defer { close(b) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        let mutex = AsyncMutex()
        let channel = try Channel<Int>(capacity: 1)
        let waits: [@Sendable () async throws -> Void] = [
            { _ = try await stream.read(maxBytes: 16) },
            { _ = try await listener.accept() },
            { try await runtime.sleep(for: .seconds(3600)) },
            { try await mutex.lock() },
            { _ = try await channel.receive() },
        ]
        try runtime.blockOn { try await mutex.lock() }  // held for good: the lock() wait never gets it
        for wait in waits {
            runtime.spawn(name: "waiter") {
                let held = Held(freed)
                defer { ended.add(1, ordering: .relaxed) }
                parked.add(1, ordering: .relaxed)
                try await wait()
                _ = held
            }
        }
        #expect(eventually { parked.load(ordering: .relaxed) == waits.count && runtime.tasks.count == waits.count })
        usleep(20_000)  // let the last one reach its wait
        #expect(returns { runtime.shutdown() })
        #expect(ended.load(ordering: .relaxed) == waits.count)
        #expect(freed.value.load(ordering: .relaxed) == waits.count)
        #expect(runtime.tasks.count == 0)
        #expect(runtime.tasksAbandonedAtShutdown == 0)
    }

    @Test func aTaskThatIgnoresCancellationIsAbandonedAtTheTimeoutAndCounted() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1, shutdownTimeout: .milliseconds(200)))
        let started = Atomic<Bool>(false)
        runtime.spawn(name: "stubborn") {
            started.store(true, ordering: .relaxed)
            // Swallows every CancellationError, but still suspends, so the other task gets to run.
            while true {
                try? await runtime.sleep(for: .milliseconds(1))
                await runtime.yieldNow()
            }
        }
        runtime.spawn(name: "polite") { try await runtime.sleep(for: .seconds(3600)) }
        #expect(eventually { started.load(ordering: .relaxed) })
        let clock = ContinuousClock()
        let took = clock.measure { #expect(returns { runtime.shutdown() }) }
        #expect(took >= .milliseconds(200) && took < .seconds(3), "shutdown took \(took)")
        #expect(runtime.tasksAbandonedAtShutdown == 1)
        #expect(eventually { Stress.workersStopped(runtime) })
    }

    @Test func aBadShutdownTimeoutIsAnError() {
        #expect(throws: RuntimeError.invalidSetting(.shutdownTimeout, "must be between 0 and 86400 s (got -1 s)")) {
            try Runtime(RuntimeConfiguration(workers: 1, shutdownTimeout: .seconds(-1)))
        }
    }
}
