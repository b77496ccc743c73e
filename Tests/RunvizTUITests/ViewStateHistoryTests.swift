// ViewState against a moving history window: a cursor the window passed is held at its oldest
// instant, a rewind key never moves the cursor against its arrow, and the header never reads more
// seconds back than the window holds (the window drops its oldest second at a time while the view
// is rewound, and the live end keeps growing).

import RunvizObservation
import Testing

@testable import RunvizTUI

@Suite struct ViewStateHistoryTests {
    static let s: UInt64 = 1_000_000_000

    func span(_ oldest: UInt64, _ newest: UInt64) -> HistorySpan {
        HistorySpan(oldest: oldest, newest: newest, bytes: 1 << 20, limitSeconds: 60, limitBytes: 64 << 20)
    }

    func snapshot(_ span: HistorySpan) -> DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.takenAt = span.newest
        snapshot.history = span
        return snapshot
    }

    func rewound(to cursor: UInt64) -> ViewState {
        var view = ViewState()
        view.paused = true
        view.cursor = cursor
        return view
    }

    func press(_ key: Key, _ view: inout ViewState, _ span: HistorySpan) {
        _ = view.handle(key, snapshot: snapshot(span), lessons: LessonCatalog(), width: 120, height: 40)
    }

    /// The header's "◀ -B s of W s", as the two numbers.
    func header(_ view: ViewState, _ span: HistorySpan) -> (back: Double, window: Double)? {
        let row = Rendered(snapshot(span), view).lines[0]
        guard let start = row.range(of: "◀ -") else { return nil }
        let words = row[start.upperBound...].split(separator: " ")
        guard words.count > 3, words[1] == "s", words[2] == "of", let back = Double(words[0]),
            let window = Double(words[3])
        else { return nil }
        return (back, window)
    }

    @Test func aCursorTheWindowPassedIsHeldAtItsOldestInstant() {
        // At -58.8 s of a 60 s window; then the window drops its oldest 2 s and grows 1.5 s.
        var view = rewound(to: 11_200_000_000)
        let before = span(10 * Self.s, 70 * Self.s)
        #expect(Rendered(snapshot(before), view).lines[0].hasPrefix("runviz ◀ -58.8 s of 60.0 s"))
        let moved = span(12 * Self.s, 71_500_000_000)
        view.holdCursor(in: moved)
        #expect(view.cursor == 12 * Self.s)
        #expect(Rendered(snapshot(moved), view).lines[0].hasPrefix("runviz ◀ -59.5 s of 59.5 s"))
        view.holdCursor(in: moved)
        #expect(view.cursor == 12 * Self.s, "a cursor inside the window stays where it is")
    }

    @Test func atTheOldestInstantBackKeysStayAndForwardKeysMove() {
        let window = span(12 * Self.s, 71_500_000_000)
        var view = rewound(to: 12 * Self.s)
        for key in [Key.character("{"), .character("["), .home] {
            press(key, &view, window)
            #expect(view.cursor == 12 * Self.s, "\(key) at the oldest instant")
        }
        press(.character("}"), &view, window)
        #expect(view.cursor == 13 * Self.s)
        press(.character("]"), &view, window)
        #expect(view.cursor == 13_100_000_000)
    }

    @Test func aRewindKeyNeverMovesTheCursorAgainstItsArrow() {
        // Cursors inside, before and after the window; keys of both directions and sizes.
        let window = span(12 * Self.s, 71_500_000_000)
        let keys: [(Key, Int)] = [
            (.character("{"), -1), (.character("["), -1), (.character("}"), 1), (.character("]"), 1),
        ]
        for cursor in [
            5 * Self.s, 11_200_000_000, 12 * Self.s, 12_050_000_000, 40 * Self.s, 71_450_000_000, 80 * Self.s,
        ] {
            for (key, direction) in keys {
                var view = rewound(to: cursor)
                press(key, &view, window)
                let from = window.clamp(cursor)
                let to = view.cursor ?? 0
                #expect(window.oldest <= to && to <= window.newest, "\(key) from \(cursor) left the window: \(to)")
                #expect(direction < 0 ? to <= from : to >= from, "\(key) from \(cursor) went to \(to)")
            }
        }
    }

    @Test func theHeaderNeverReadsMoreSecondsBackThanTheWindowHolds() {
        // Windows of every length to the millisecond around a rounding edge, cursors from before
        // the window to its newest instant.
        for length in stride(from: 59_400_000_000 as UInt64, through: 59_500_000_000, by: 7_000_000) {
            let window = span(20 * Self.s, 20 * Self.s + length)
            for cursor in stride(from: 18 * Self.s, through: window.newest, by: 3_300_000_000) {
                guard let read = header(rewound(to: cursor), window) else {
                    Issue.record("no rewound header for \(cursor) in \(window)")
                    continue
                }
                #expect(
                    read.back <= read.window, "cursor \(cursor), window \(length): -\(read.back) s of \(read.window) s")
            }
            let oldest = header(rewound(to: window.oldest), window)
            #expect(oldest.map { $0.back == $0.window } == true, "at the oldest instant: the whole window back")
        }
    }
}
