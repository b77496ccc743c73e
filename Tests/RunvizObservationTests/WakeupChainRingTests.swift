// Facts about WakeupChainRing: below capacity it keeps every chain in order; once full each new chain
// replaces the oldest and reading still gives oldest first; names resolve at read time ("task" when
// unnamed or unknown), and so does the thread of no task that woke one (an `.other` wake whose
// argument carries ForeignThread's flag), while a task's `.other` argument stays a task.

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

    @Test func aWakeFromAThreadOfNoTaskNamesTheThread() {
        var ring = WakeupChainRing(capacity: 4)
        var fromThread = chain(1)
        fromThread.source = .other
        fromThread.sourceArgument = ForeignThread.argument(nameID: 2)
        var fromTask = chain(2)
        fromTask.source = .other
        fromTask.sourceArgument = 2
        ring.append(fromThread, name: 1)
        ring.append(fromTask, name: 1)
        let chains = ring.ordered(names: ["", "handler", "NIO-ELT-0-#1"])
        #expect(chains.map(\.wakerThread) == ["NIO-ELT-0-#1", nil])
        #expect(chains.map(\.taskName) == ["handler", "handler"])
    }
}
