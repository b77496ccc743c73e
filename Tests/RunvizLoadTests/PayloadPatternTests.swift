// PayloadPatternTests: payloads differ between clients and between messages, and long runs are contiguous.

import Testing

@testable import RunvizLoad

@Suite struct PayloadPatternTests {
    @Test func offsetsDifferPerClientAndPerMessage() {
        var seen = Set<Int>()
        for client in UInt32(0)..<10_000 { seen.insert(PayloadPattern.offset(client: client, message: 7)) }
        #expect(seen.count == 10_000)
        #expect(PayloadPattern.offset(client: 3, message: 1) != PayloadPattern.offset(client: 3, message: 2))
    }

    @Test func anyRunOfOnePeriodIsContiguous() {
        let pattern = PayloadPattern()
        defer { pattern.deallocate() }
        let period = PayloadPattern.period
        let start = pattern.pointer(client: 9, message: 4, index: 100)
        #expect(start + period <= pattern.bytes + 2 * period)
        let wrapped = pattern.pointer(client: 9, message: 4, index: 100 + period)
        #expect(wrapped == start)
    }
}
