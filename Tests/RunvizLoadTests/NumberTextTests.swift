// NumberTextTests: the number formats of reports and progress lines.

import Testing

@testable import RunvizLoad

@Suite struct NumberTextTests {
    @Test func formats() {
        #expect(NumberText.grouped(0) == "0")
        #expect(NumberText.grouped(1_234_567) == "1,234,567")
        #expect(NumberText.fixed(12_345.678, 1) == "12,345.7")
        #expect(NumberText.fixed(0.05, 1) == "0.1")
        #expect(NumberText.fixed(3, 0) == "3")
        #expect(NumberText.fixed(1.5, 2) == "1.50")
        #expect(NumberText.bytes(512) == "512 B")
        #expect(NumberText.bytes(3 << 20) == "3.0 MiB")
    }
}
