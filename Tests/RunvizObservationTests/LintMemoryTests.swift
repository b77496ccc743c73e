// Facts about LintMemory: one entry per kind and task, the latest replacing the earlier in place;
// entries older than ten seconds are forgotten; at most 32 are kept, the oldest dropped first.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct LintMemoryTests {
    static let second: UInt64 = 1_000_000_000

    @Test func theLatestLintOfAKindAndTaskReplacesTheEarlierInPlace() {
        var memory = LintMemory()
        memory.remember(Lint(kind: .longPoll, task: TaskID(1), nanos: 1), at: 10)
        memory.remember(Lint(kind: .starvation, task: TaskID(1), nanos: 2), at: 20)
        memory.remember(Lint(kind: .longPoll, task: TaskID(1), nanos: 3), at: 30)
        #expect(memory.entries.map(\.lint.nanos) == [3, 2])
        #expect(memory.entries.map(\.at) == [30, 20])
    }

    @Test func entriesOlderThanTenSecondsAreForgotten() {
        var memory = LintMemory()
        memory.remember(Lint(kind: .longPoll, task: TaskID(1)), at: Self.second)
        memory.remember(Lint(kind: .longPoll, task: TaskID(2)), at: 2 * Self.second)
        memory.forget(before: 11 * Self.second)
        #expect(memory.entries.count == 2, "exactly ten seconds is still remembered")
        memory.forget(before: 11 * Self.second + 1)
        #expect(memory.entries.map(\.lint.task) == [TaskID(2)])
    }

    @Test func atMost32AreKeptOldestDroppedFirst() {
        var memory = LintMemory()
        for i in 1...40 { memory.remember(Lint(kind: .starvation, task: TaskID(UInt64(i))), at: UInt64(i)) }
        #expect(memory.entries.count == 32)
        #expect(memory.entries.first?.lint.task == TaskID(9))
    }
}
