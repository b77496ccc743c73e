// HelpOverlay: every key and its effect is on screen, at both sizes and in ASCII.

import Testing

@testable import RunvizTUI

@Suite struct HelpOverlayTests {
    @Test(arguments: [(120, 40, false), (80, 24, false), (80, 24, true)])
    func listsEveryKey(width: Int, height: Int, ascii: Bool) {
        var view = ViewState(ascii: ascii)
        view.helpOpen = true
        let text = Rendered(Fixtures.snapshot, view, width: width, height: height).lines.joined(separator: "\n")
        for binding in KeyMap.bindings(view.glyphs) {
            let row = Format.column(binding.keys, 12, view.glyphs) + binding.effect
            #expect(text.contains(row), "\(row)")
        }
        #expect(KeyMap.bindings(view.glyphs).count == 27)
    }

    @Test func compactHelpLayout() {
        var view = ViewState()
        view.helpOpen = true
        let lines = Rendered(Fixtures.snapshot, view, width: 80, height: 24).lines
        #expect(lines[2] == "┌─ Keys " + String(repeating: "─", count: 71) + "┐")
        #expect(lines[3] == "│ Swift job run = tokio poll · suspended = Pending · resume = Waker.wake()     │")
        #expect(lines[5] == "│ s           spawn one task             space       pause the view / live     │")
        #expect(lines[6] == "│ S           spawn 100 tasks            [ ]  { }    back/fwd 100 ms / 1 s     │")
        #expect(lines[7] == "│ b           block a worker             Home End    oldest instant / live     │")
        #expect(lines[13] == "│ n           channel demo               → ←         next/prev step or lesson  │")
        #expect(lines[17] == "│ T           worker timeline            q / Ctrl-C  quit                      │")
        #expect(lines[18] == "│ o  /        order / filter tasks                                             │")
        #expect(lines[19] == "└─ Esc or ? closes " + String(repeating: "─", count: 60) + "┘")
    }
}
