// When each ready task entered its run queue, until one of its jobs starts: the wake half of the
// schedule latency. A fixed table (2,048 sets of 8 slots, 256 KiB) allocated once, so taking an
// event in never allocates (raw memory: no copy-on-write check per event): a task's `scheduled` event fills a slot of its set, its `runStarted`
// empties it and yields the wait. A full set gives up its oldest entry (that task's wait goes
// unmeasured, and is counted), so tasks scheduled and never run (cancelled, or their events
// dropped) cannot fill the table for good. Task 0 (jobs of no task) is never kept: its runs cannot
// be told apart.

final class PendingRuns {
    static let setBits = 11
    static let ways = 8
    static let slots = (1 << setBits) * ways
    /// Task ids (0: a free slot) in the first `slots` words, their wake times in the next.
    private let table: UnsafeMutablePointer<UInt64>
    private var times: UnsafeMutablePointer<UInt64> { table + Self.slots }
    /// Waits given up because a set was full.
    @exclusivity(unchecked) private(set) var evicted: UInt64 = 0

    init() {
        // Aligned to a cache line, so a set's eight ids are one line.
        table = UnsafeMutableRawPointer.allocate(byteCount: 16 * Self.slots, alignment: 64)
            .bindMemory(to: UInt64.self, capacity: 2 * Self.slots)
        table.initialize(repeating: 0, count: 2 * Self.slots)
    }

    deinit { table.deallocate() }

    private var tasks: UnsafeMutablePointer<UInt64> { table }

    /// The first slot of `task`'s set (Fibonacci hashing: sequential ids spread over the sets).
    private func firstSlot(_ task: UInt64) -> Int {
        Int(truncatingIfNeeded: (task &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.setBits)) * Self.ways
    }

    /// `task` entered a run queue at `time`. A task already waiting keeps its first wake: it has
    /// been ready since then.
    func scheduled(_ task: UInt64, at time: UInt64) {
        guard task != 0 else { return }
        let base = firstSlot(task)
        // The ids first (one cache line); the times only when the set is full.
        var free = -1
        for slot in base..<(base + Self.ways) {
            if tasks[slot] == task { return }
            if free < 0 && tasks[slot] == 0 { free = slot }
        }
        if free < 0 {
            free = base
            for slot in (base + 1)..<(base + Self.ways) where times[slot] < times[free] { free = slot }
            evicted &+= 1
        }
        tasks[free] = task
        times[free] = time
    }

    /// A job of `task` started: when it became ready, if that was seen.
    func started(_ task: UInt64) -> UInt64? {
        guard task != 0 else { return nil }
        let base = firstSlot(task)
        for slot in base..<(base + Self.ways) where tasks[slot] == task {
            tasks[slot] = 0
            return times[slot]
        }
        return nil
    }
}
