// Format: the number and text formats every panel uses.

import Testing

@testable import RunvizTUI

@Suite struct FormatTests {
    @Test func groupedInsertsThousandsSeparators() {
        #expect(Format.grouped(0) == "0")
        #expect(Format.grouped(999) == "999")
        #expect(Format.grouped(1_234) == "1,234")
        #expect(Format.grouped(1_234_567) == "1,234,567")
        #expect(Format.grouped(-12_345) == "-12,345")
    }

    @Test func fixedRounds() {
        #expect(Format.fixed(3.14159, 1) == "3.1")
        #expect(Format.fixed(2.96, 1) == "3.0")
        #expect(Format.fixed(0.05, 2) == "0.05")
        #expect(Format.fixed(-1.25, 1) == "-1.3")
        #expect(Format.fixed(.nan, 1) == "-")
    }

    @Test func compactUsesUnits() {
        #expect(Format.compact(950) == "950")
        #expect(Format.compact(12_345) == "12.3k")
        #expect(Format.compact(120_000) == "120k")
        #expect(Format.compact(2_500_000) == "2.5M")
        #expect(Format.compact(999_999) == "1.0M")
    }

    @Test func durationPicksAUnit() {
        let glyphs = Glyphs.unicode
        #expect(Format.duration(850, glyphs) == "850 ns")
        #expect(Format.duration(3_500, glyphs) == "3.5 µs")
        #expect(Format.duration(35_000, glyphs) == "35 µs")
        #expect(Format.duration(1_200_000, glyphs) == "1.2 ms")
        #expect(Format.duration(120_000_000, glyphs) == "120 ms")
        #expect(Format.duration(1_200_000_000, glyphs) == "1.2 s")
        #expect(Format.duration(125_000_000_000, glyphs) == "2m05s")
        #expect(Format.duration(3_720_000_000_000, glyphs) == "1h02m")
        #expect(Format.duration(35_000, .ascii) == "35 us")
    }

    @Test func clockAndOffset() {
        #expect(Format.clock(5_025_000_000_000) == "01:23:45")
        #expect(Format.offset(35_000) == "+0.035 ms")
        #expect(Format.offset(12_345_678) == "+12.346 ms")
        #expect(Format.offset(999_999_000) == "+999.999 ms")
        #expect(Format.offset(999_999_600) == "+1.000 s")
        #expect(Format.offset(1_250_478_000) == "+1.250 s")
        #expect(Format.offset(999_999_000_000) == "+999.999 s")
        #expect(Format.offset(1_000_000_000_000) == "+16m40s")
        #expect(Format.offset(3_720_000_000_000) == "+1h02m")
    }

    @Test func offsetsStayWithinElevenColumns() {
        // Up to 2^59 ns, about 18 years of following one task.
        let samples: [UInt64] = (0..<60).map { 1 << $0 } + [999_999_499, 999_999_500, 999_999_499_999]
        for nanos in samples { #expect(Format.offset(nanos).count <= 11, "\(Format.offset(nanos))") }
    }

    @Test func countedAgreesWithItsNumber() {
        #expect(Format.counted(1, "thread") == "1 thread")
        #expect(Format.counted(0, "thread") == "0 threads")
        #expect(Format.counted(3, "thread") == "3 threads")
        #expect(Format.counted(1_234, "task") == "1,234 tasks")
        #expect(Format.counted(2, "entry", plural: "entries") == "2 entries")
        #expect(Format.counted(1, "entry", plural: "entries") == "1 entry")
    }

    @Test func bytesUseBinaryUnits() {
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1_536) == "1.5 KiB")
        #expect(Format.bytes(24_536_678) == "23.4 MiB")
        #expect(Format.bytes(1_288_490_189) == "1.2 GiB")
    }

    @Test func percentIsFourColumns() {
        #expect(Format.percent(0.073) == "  7%")
        #expect(Format.percent(0.73) == " 73%")
        #expect(Format.percent(1.5) == "100%")
    }

    @Test func clipAndColumn() {
        #expect(Format.clip("echo-connection", 8, .unicode) == "echo-co…")
        #expect(Format.clip("echo-connection", 8, .ascii) == "echo-...")
        #expect(Format.clip("echo", 8, .unicode) == "echo")
        #expect(Format.column("ab", 4, .unicode) == "ab  ")
    }

    @Test func wrapBreaksAtSpaces() {
        #expect(Format.wrap("the quick brown fox", 9) == ["the quick", "brown fox"])
        #expect(Format.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"])
        #expect(Format.wrap("short", 10) == ["short"])
    }
}
