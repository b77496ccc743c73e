// Test helpers: render a snapshot and read back the text of one panel's rectangle.

import RunvizObservation

@testable import RunvizTUI

extension Screen {
    /// The rows of `rect`, each cut to the rectangle's columns, trailing spaces trimmed.
    func text(in rect: Rect) -> [String] {
        (rect.y..<rect.maxY).map { y in
            var row = String((rect.x..<(rect.x + rect.width)).map { self[$0, y].character })
            while row.last == " " { row.removeLast() }
            return row
        }
    }
}

struct Rendered {
    let screen: Screen
    let layout: DashboardLayout?

    init(
        _ snapshot: DashboardSnapshot = Fixtures.snapshot, _ view: ViewState = ViewState(), width: Int = 120,
        height: Int = 40
    ) {
        screen = Dashboard.render(snapshot, view, width: width, height: height)
        layout = Dashboard.layout(snapshot, width: width, height: height)
    }

    func panel(_ keyPath: KeyPath<DashboardLayout, Rect>) -> [String] {
        guard let layout else { return [] }
        return screen.text(in: layout[keyPath: keyPath])
    }

    var lines: [String] { screen.lines() }
}

extension String {
    var isASCIIOnly: Bool { unicodeScalars.allSatisfy { $0.isASCII } }
}
