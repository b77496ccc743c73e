// Screen: clipping, trimming, sanitising and restyling of the cell grid.

import Testing

@testable import RunvizTUI

@Suite struct ScreenTests {
    @Test func putClipsAtTheRightEdgeAndReturnsTheLimit() {
        var screen = Screen(width: 10, height: 2)
        let end = screen.put("hello world", x: 7, y: 0)
        #expect(screen.lines() == ["       hel", ""])
        #expect(end == 10)
    }

    @Test func putClipsAtTheLeftEdge() {
        var screen = Screen(width: 5, height: 1)
        screen.put("abcdef", x: -2, y: 0)
        #expect(screen.line(0) == "cdef")
    }

    @Test func putHonoursMaxWidth() {
        var screen = Screen(width: 10, height: 1)
        let end = screen.put("abcdef", x: 1, y: 0, maxWidth: 3)
        #expect(screen.line(0) == " abc")
        #expect(end == 4)
    }

    @Test func rowsOutsideTheGridAreIgnored() {
        var screen = Screen(width: 4, height: 1)
        screen.put("abcd", x: 0, y: 1)
        screen.put("abcd", x: 0, y: -1)
        #expect(screen.lines() == [""])
    }

    @Test func linesTrimTrailingSpacesOnly() {
        var screen = Screen(width: 8, height: 1)
        screen.put("  a b", x: 0, y: 0)
        #expect(screen.lines() == ["  a b"])
    }

    @Test func controlCharactersBecomeQuestionMarks() {
        var screen = Screen(width: 8, height: 1)
        screen.put("a\u{7}b\tc", x: 0, y: 0)
        #expect(screen.line(0) == "a?b c")
    }

    @Test func asciiOnlyScreenReplacesNonASCII() {
        var screen = Screen(width: 8, height: 1, asciiOnly: true)
        screen.put("35 µs →", x: 0, y: 0)
        #expect(screen.line(0) == "35 ?s ?")
        var unicode = Screen(width: 8, height: 1)
        unicode.put("35 µs →", x: 0, y: 0)
        #expect(unicode.line(0) == "35 µs →")
    }

    @Test func doubleWidthCharactersBecomeQuestionMarks() {
        var screen = Screen(width: 8, height: 1)
        screen.put("a漢b😀c", x: 0, y: 0)
        #expect(screen.line(0) == "a?b?c")
    }

    @Test func restyleKeepsCharacters() {
        var screen = Screen(width: 6, height: 1)
        screen.put("abc", x: 0, y: 0, style: .dim)
        screen.restyle(x: 1, y: 0, count: 10, style: .selected)
        #expect(screen.line(0) == "abc")
        #expect(screen[0, 0].style == .dim)
        #expect((1..<6).allSatisfy { screen[$0, 0].style == .selected })
    }

    @Test func fillIsClippedToTheGrid() {
        var screen = Screen(width: 3, height: 2)
        screen.fill(Rect(x: 1, y: 1, width: 5, height: 5), with: "#")
        #expect(screen.lines() == ["", " ##"])
    }

    @Test func lineDrawsSpansInTheirStylesAndClips() {
        var screen = Screen(width: 6, height: 1)
        var line = Line("ab", .bold)
        line.append("cdef", .warning)
        screen.draw(line, x: 1, y: 0, width: 4)
        #expect(screen.line(0) == " abcd")
        #expect(screen[1, 0].style == .bold)
        #expect(screen[3, 0].style == .warning)
        #expect(screen[5, 0].character == " ")
    }
}
