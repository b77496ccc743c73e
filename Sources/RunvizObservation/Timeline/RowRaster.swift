// One thread's columns, filled from its stretches in time order (they never overlap): each column
// adds up how long each state, and each task's jobs, covered its slice, then keeps the winner —
// BLOCKED if it covered any of the slice, else the state that covered the most (all jobs together
// count as running, shown as the task that ran longest), ties to the busier state — and the
// stretch that covered most of the slice in that state. Columns a stretch covers whole are set
// directly, so a long stretch costs its column count, and a busy slice its stretch count.

struct RowRaster: Sendable {
    let from: UInt64
    let nanosPerColumn: UInt64
    private var cells: [WorkerTimeline.Cell]
    /// The column being added up, and what covered it so far.
    private var column = -1
    private var cover: [UInt64] = Array(repeating: 0, count: WorkerTimeline.State.allCases.count)
    private var best: [(stretch: WorkerTimeline.Stretch, nanos: UInt64)?] = Array(
        repeating: nil, count: WorkerTimeline.State.allCases.count)
    /// Per task: jobs' total cover of the column, and its longest single stretch there.
    private var taskCover: [UInt64: (total: UInt64, stretch: WorkerTimeline.Stretch, nanos: UInt64)] = [:]

    init(from: UInt64, nanosPerColumn: UInt64, columns: Int) {
        self.from = from
        self.nanosPerColumn = nanosPerColumn
        cells = Array(repeating: WorkerTimeline.Cell(), count: columns)
    }

    private var end: UInt64 { from + nanosPerColumn * UInt64(cells.count) }

    mutating func wakeup(at t: UInt64) {
        guard t >= from, t < end else { return }
        cells[Int((t - from) / nanosPerColumn)].wakeups += 1
    }

    /// `stretch` covered [start, stop) (clipped to the columns).
    mutating func add(_ stretch: WorkerTimeline.Stretch, from start: UInt64, to stop: UInt64) {
        let lo = max(start, from)
        let hi = min(stop, end)
        guard lo < hi, stretch.state != .unknown else { return }
        let first = Int((lo - from) / nanosPerColumn)
        let last = Int((hi - 1 - from) / nanosPerColumn)
        for c in first...last {
            let sliceStart = from + UInt64(c) * nanosPerColumn
            let sliceEnd = sliceStart + nanosPerColumn
            let nanos = min(hi, sliceEnd) - max(lo, sliceStart)
            if nanos == nanosPerColumn {
                flush()
                let task = stretch.state == .running || stretch.state == .blocked ? stretch.task : 0
                cells[c] = WorkerTimeline.Cell(
                    state: stretch.state, task: task, wakeups: cells[c].wakeups, stretch: stretch)
                continue
            }
            if c != column {
                flush()
                column = c
            }
            let s = Int(stretch.state.rawValue)
            cover[s] += nanos
            if nanos > best[s]?.nanos ?? 0 { best[s] = (stretch, nanos) }
            if stretch.state == .running || stretch.state == .blocked {
                var entry = taskCover[stretch.task] ?? (0, stretch, 0)
                entry.total += nanos
                if nanos > entry.nanos { (entry.stretch, entry.nanos) = (stretch, nanos) }
                taskCover[stretch.task] = entry
            }
        }
    }

    /// The cells, the last column added up.
    func finish() -> [WorkerTimeline.Cell] {
        var copy = self
        copy.flush()
        return copy.cells
    }

    private mutating func flush() {
        guard column >= 0 else { return }
        defer {
            column = -1
            for i in cover.indices {
                cover[i] = 0
                best[i] = nil
            }
            taskCover.removeAll(keepingCapacity: true)
        }
        let blocked = Int(WorkerTimeline.State.blocked.rawValue)
        var state = WorkerTimeline.State.unknown
        if cover[blocked] > 0 {
            state = .blocked
        } else {
            // The part no stretch covered is unknown.
            var most = nanosPerColumn - min(nanosPerColumn, cover.reduce(0, +))
            for candidate in WorkerTimeline.State.allCases where candidate != .unknown {
                if cover[Int(candidate.rawValue)] >= most, cover[Int(candidate.rawValue)] > 0 {
                    most = cover[Int(candidate.rawValue)]
                    state = candidate
                }
            }
        }
        guard state != .unknown else { return }
        var cell = WorkerTimeline.Cell(
            state: state, wakeups: cells[column].wakeups, stretch: best[Int(state.rawValue)]?.stretch)
        if state == .running || state == .blocked {
            let jobs = taskCover.filter { $0.value.stretch.state == state }
            if let top = jobs.max(by: { ($0.value.total, $1.key) < ($1.value.total, $0.key) }) {
                cell.task = top.key
                cell.stretch = top.value.stretch
            }
        }
        cells[column] = cell
    }
}
