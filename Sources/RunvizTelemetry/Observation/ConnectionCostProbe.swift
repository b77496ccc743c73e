// What one more connection costs this process, measured the way lesson 01 argues: from how much
// the process grew while connections of one kind were added and the other kind stayed put. The
// baseline moves to now whenever connections of either kind close; a figure is taken once at least
// `minimumSpan` connections of one kind, and none of the other, were added since. Memory the
// allocator keeps after connections close makes a later figure low, never high.

struct ConnectionCostProbe: Equatable {
    static let minimumSpan = 50

    struct Point: Equatable {
        var tasks: Int
        var threads: Int
        var resident: UInt64
        var virtual: UInt64
    }

    private var base: Point?
    private(set) var perTask: ConnectionCost?
    private(set) var perThread: ConnectionCost?

    mutating func sample(_ now: Point) {
        guard let base, now.tasks >= base.tasks, now.threads >= base.threads else {
            // The first point, or connections closed: measure growth from here.
            base = now
            return
        }
        let tasks = now.tasks - base.tasks
        let threads = now.threads - base.threads
        if threads == 0, tasks >= Self.minimumSpan {
            perTask = Self.cost(from: base, to: now, count: tasks)
        } else if tasks == 0, threads >= Self.minimumSpan {
            perThread = Self.cost(from: base, to: now, count: threads)
        }
    }

    private static func cost(from a: Point, to b: Point, count: Int) -> ConnectionCost {
        ConnectionCost(
            residentBytes: max(0, Double(b.resident) - Double(a.resident)) / Double(count),
            virtualBytes: max(0, Double(b.virtual) - Double(a.virtual)) / Double(count), connections: count)
    }
}
