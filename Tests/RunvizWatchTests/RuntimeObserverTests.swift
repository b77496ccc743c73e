// The runtime's own observer: what its sinks receive is what the runtime did (a named task's spawn
// and end, names before the events that use them, frame turns among the updates), `stop` delivers
// the last of it, and the observer does not keep the runtime alive.

import Foundation
import RunvizLock
import RunvizObservation
import RunvizRuntime
import RunvizWatch
import Testing

@Suite struct RuntimeObserverTests {
    /// Keeps every observation it is handed (on the observer's thread).
    final class Collect: ObservationSink, @unchecked Sendable {
        let taken = Lock<[Observation]>([])
        func record(_ observation: Observation) { taken.withLock { $0.append(observation) } }
        var recordingStatus: RecordingStatus? { nil }
        var count: Int { taken.withLock { $0.count } }
    }

    /// Waits (up to 10 s) until `condition` holds.
    static func wait(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while !condition() {
            if Date() > deadline { return false }
            usleep(2_000)
        }
        return true
    }

    @Test func itsSinksSeeANamedTaskFromSpawnToEndAndStopDeliversTheLastTurn() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let sink = Collect()
        let observer = try RuntimeObserver(runtime: runtime, sinks: [sink], interval: .milliseconds(5))
        #expect(Self.wait { sink.count >= RuntimeObserverTests.framesAfter })
        let value = try runtime.blockOn { try await runtime.spawn(name: "observed task") { 6 * 7 }.value }
        #expect(value == 42)
        observer.stop()
        observer.stop()
        let taken = sink.taken.withLock { $0 }

        let names = taken.flatMap(\.newNames)  // from id 0, the unnamed
        let id = try #require(names.firstIndex(of: "observed task"))
        let events = taken.flatMap(\.events)
        let spawn = try #require(events.first { $0.kind == .spawned && $0.extra == UInt32(id) })
        #expect(events.contains { $0.kind == .completed && $0.task == spawn.task })
        #expect(zip(taken, taken.dropFirst()).allSatisfy { $0.now < $1.now })
        #expect(taken.contains { $0.turn == .frame && $0.process.residentBytes > 0 })
        #expect(taken.contains { $0.turn == .update })
        #expect(observer.setup.startedAt == runtime.startedAt)
        #expect(observer.setup.configuration.workers == 2)

        // The same observations, taken by an Observer, count the task as finished.
        var rebuilt = Observer(setup: observer.setup)
        for o in taken { _ = rebuilt.take(o) }
        let frame = rebuilt.frame(after: taken.last!)
        #expect(frame.runtime.taskCounts.finished >= 1)
    }

    /// Turns waited for before the test's task: enough for a frame turn.
    static let framesAfter = 6

    @Test func anObserverDoesNotKeepItsRuntimeAlive() throws {
        weak var dropped: Runtime?
        let sink = Collect()
        var observer: RuntimeObserver?
        do {
            let runtime = try Runtime(RuntimeConfiguration(workers: 1))
            dropped = runtime
            observer = try RuntimeObserver(runtime: runtime, sinks: [sink], interval: .milliseconds(5))
            #expect(Self.wait { sink.count >= 2 })
            runtime.shutdown()
        }
        #expect(dropped == nil)
        observer?.stop()
    }
}
