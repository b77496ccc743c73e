// Glyphs and Theme: the ASCII set is ASCII, the sparkline has eight levels, colour off keeps meaning.

import Testing

@testable import RunvizTUI

@Suite struct GlyphsTests {
    private func strings(_ glyphs: Glyphs) -> [String] {
        [
            glyphs.arrow, glyphs.separator, glyphs.ellipsis, glyphs.pointer, glyphs.warning, glyphs.micro,
            glyphs.times, glyphs.atMost, glyphs.atLeast, glyphs.approximately, glyphs.upDown, glyphs.leftRight,
            glyphs.right, glyphs.left, glyphs.workerRunning, glyphs.workerSearching, glyphs.workerParked,
            glyphs.workerInDriver, glyphs.workerBlocked, glyphs.workerStopped,
        ]
            + [
                glyphs.horizontal, glyphs.vertical, glyphs.topLeft, glyphs.topRight, glyphs.bottomLeft,
                glyphs.bottomRight,
            ]
            .map { String($0) } + glyphs.sparkline.map { String($0) }
    }

    @Test func asciiGlyphsAreASCII() {
        for text in strings(.ascii) { #expect(text.isASCIIOnly, "\(text)") }
        #expect(Glyphs.ascii.sparkline.map { String($0) }.joined() == " .:-=+*#")
    }

    @Test func unicodeGlyphsAreUnicode() {
        #expect(Glyphs.unicode.sparkline.map { String($0) }.joined() == "▁▂▃▄▅▆▇█")
        #expect(Glyphs.unicode.arrow == "→")
        let workerGlyphs = [
            Glyphs.unicode.workerRunning, Glyphs.unicode.workerSearching, Glyphs.unicode.workerParked,
            Glyphs.unicode.workerInDriver, Glyphs.unicode.workerBlocked,
        ]
        #expect(Set(workerGlyphs).count == workerGlyphs.count)
        let asciiWorkerGlyphs = [
            Glyphs.ascii.workerRunning, Glyphs.ascii.workerSearching, Glyphs.ascii.workerParked,
            Glyphs.ascii.workerInDriver, Glyphs.ascii.workerBlocked, Glyphs.ascii.workerStopped,
        ]
        #expect(Set(asciiWorkerGlyphs).count == asciiWorkerGlyphs.count)
    }

    @Test func transliterateSpellsCommonUnicodeInASCII() {
        #expect(Glyphs.ascii.transliterate("poll → Pending — 35 µs…") == "poll -> Pending - 35 us...")
        #expect(Glyphs.unicode.transliterate("a → b") == "a → b")
        #expect(Glyphs.ascii.transliterate("漢").isASCIIOnly)
    }

    @Test func sparklineScalesAndTakesTheNewestSamples() {
        #expect(Sparkline.render([0, 0.5, 1], width: 3, ceiling: 1, glyphs: .unicode) == "▁▅█")
        #expect(Sparkline.render([1, 0, 0.5, 1], width: 2, ceiling: 1, glyphs: .unicode) == "▅█")
        #expect(Sparkline.render([2, 4], width: 10, ceiling: nil, glyphs: .ascii) == "=#")
        #expect(Sparkline.render([0.01], width: 1, ceiling: 1, glyphs: .ascii) == ".")
    }

    @Test func themeWithoutColourHasNoColoursButKeepsAttributes() {
        let plain = Theme(color: false)
        for style in Style.allCases { #expect(plain.appearance(of: style).foreground == nil) }
        #expect(plain.appearance(of: .selected).reverse)
        #expect(plain.appearance(of: .blocked).bold)
        #expect(plain.appearance(of: .warning).bold)
        #expect(plain.appearance(of: .focusedTitle).reverse)
        #expect(plain.appearance(of: .current).reverse)
        let coloured = Theme(color: true)
        #expect(coloured.appearance(of: .blocked).foreground == .red)
        #expect(coloured.appearance(of: .running).foreground == .green)
    }
}
