// The worker timeline overlay's own view state (`T`): the zoom (one of `scales`, nanoseconds per
// column), how far it is panned back from the view's instant, and the cursor (column and row).
// The window it asks for always ends at the view's instant minus the pan: the live newest instant,
// or the time cursor when rewound. Invariants: `scale` indexes `scales`; `pan` is never negative.

struct WorkerTimelineView: Equatable, Sendable {
    /// Nanoseconds per column, finest first: about 1 ms to 60 s on a screen of 100 columns.
    static let scales: [UInt64] = [
        10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
        20_000_000, 50_000_000, 100_000_000, 200_000_000, 500_000_000,
    ]

    /// Index into `scales`; 10 ms per column to start with (about a second on screen).
    var scale = 9
    /// Nanoseconds the window ends before the view's instant.
    var pan: UInt64 = 0
    /// The selected column (nil: the newest one).
    var column: Int?
    /// The selected row (workers first, then blocking-pool threads).
    var row = 0

    init() {}

    var nanosPerColumn: UInt64 { Self.scales[min(max(0, scale), Self.scales.count - 1)] }

    /// The window [from, to) for `columns` columns that ends at `end` less the pan, its end on a
    /// column boundary: as time passes the columns step by whole columns instead of shifting their
    /// edges every turn (so a cell keeps what it showed), and the newest column is always complete.
    func range(end: UInt64, columns: Int) -> (from: UInt64, to: UInt64) {
        let shifted = end > pan ? end - pan : 0
        let to = max(nanosPerColumn, shifted - shifted % nanosPerColumn)
        let span = nanosPerColumn * UInt64(max(1, columns))
        return (to > span ? to - span : 0, to)
    }

    /// The selected column among `columns`.
    func selectedColumn(of columns: Int) -> Int {
        min(max(0, column ?? columns - 1), max(0, columns - 1))
    }

    /// Finer (negative) or coarser (positive) by `steps`, keeping the window's end.
    mutating func zoom(_ steps: Int) {
        scale = min(max(0, scale + steps), Self.scales.count - 1)
    }

    /// Back (negative) or forward by half a screen of `columns`, never past the view's instant.
    mutating func pan(_ halves: Int, columns: Int) {
        let step = Int64(clamping: nanosPerColumn * UInt64(max(2, columns) / 2))
        pan = UInt64(max(0, Int64(clamping: pan) - Int64(halves) * step))
    }

    mutating func moveCursor(_ cells: Int, columns: Int) {
        column = min(max(0, selectedColumn(of: columns) + cells), max(0, columns - 1))
    }
}
