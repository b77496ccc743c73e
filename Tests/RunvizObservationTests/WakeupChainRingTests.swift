// Facts about WakeupChainRing: below capacity it keeps every chain in order; once full each new chain
// replaces the oldest and reading still gives oldest first; names resolve at read time ("task" when
// unnamed or unknown).

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct WakeupChainRingTests {
    func chain(_ n: UInt64) -> WakeupChain {
        WakeupChain(
            source: .task, sourceArgument: n, task: TaskID(n), taskName: "", queuedBehind: 0, worker: 0,
            latencyNanos: n, wokenAt: n)
    }

    @Test func belowCapacityEveryChainStaysInOrder() {
        var ring = WakeupChainRing(capacity: 4)
        for n: UInt64 in 1...3 { ring.append(chain(n), name: 1) }
        #expect(ring.ordered(names: ["", "pinger"]).map(\.sourceArgument) == [1, 2, 3])
        #expect(ring.ordered(names: ["", "pinger"]).allSatisfy { $0.taskName == "pinger" })
    }

    @Test func aFullRingWrapsAndKeepsOrder() {
        var ring = WakeupChainRing(capacity: 4)
        for n: UInt64 in 1...10 { ring.append(chain(n), name: n % 2 == 0 ? 1 : nil) }
        let chains = ring.ordered(names: ["", "even"])
        #expect(ring.count == 4)
        #expect(chains.map(\.sourceArgument) == [7, 8, 9, 10])
        #expect(chains.map(\.taskName) == ["task", "even", "task", "even"])
    }

    @Test func aNameMissingFromTheTableReadsAsTask() {
        var ring = WakeupChainRing(capacity: 2)
        ring.append(chain(1), name: 9)
        #expect(ring.ordered(names: [""]).map(\.taskName) == ["task"])
    }
}
