// The runtime's timers: a min-heap of deadlines (swift-collections' Heap) behind a lock. `sleep`
// inserts; the driver fires what has expired after each epoll_wait and sleeps no longer than the
// earliest deadline. A cancelled sleep resumes at once and leaves a dud entry that fires as a no-op;
// the heap counts its duds and rebuilds itself without them once they are more than half of it
// (so 10k cancelled hour-long sleeps cost no memory for the hour, and each cancel costs O(1)
// amortised). Entries with equal deadlines fire in insertion order (the sequence number breaks ties).
// Deadlines are at most `horizon`, so `deadline - now` plus rounding never overflows. At shutdown
// the heap gives up the wake jobs of Swift's global executor it holds and refuses new ones
// (`closeToWakeJobs`), so each goes back to Swift's own timer, none is left behind.

import HeapModule
import RunvizLock

struct TimerEntry: Comparable {
    let deadline: UInt64
    let sequence: UInt64
    let slot: TimerSlot
    static func < (a: TimerEntry, b: TimerEntry) -> Bool { (a.deadline, a.sequence) < (b.deadline, b.sequence) }
    static func == (a: TimerEntry, b: TimerEntry) -> Bool { a.deadline == b.deadline && a.sequence == b.sequence }
}

final class TimerHeap: Sendable {
    /// The latest deadline: about 146 years of uptime, a sleep that never fires unless cancelled.
    static let horizon = UInt64.max >> 1

    /// The deadline `nanos` after `now`, clamped to `horizon` (never wraps).
    static func deadline(after nanos: UInt64, from now: UInt64) -> UInt64 {
        let (sum, overflow) = now.addingReportingOverflow(nanos)
        return overflow ? horizon : min(sum, horizon)
    }

    private struct State {
        var heap = Heap<TimerEntry>()
        var sequence: UInt64 = 0
        /// Entries whose sleep was cancelled (an estimate: a cancel may be noted just before its insert).
        var duds = 0
        var closedToWakeJobs = false
    }
    private let state = Lock(State())

    /// Adds a timer; returns true when it is now the earliest (the sleeping driver must recompute its
    /// timeout), nil when refused: a wake job once the heap is closed to them.
    func insert(_ slot: TimerSlot) -> Bool? {
        state.withLock { s in
            if s.closedToWakeJobs && slot.holdsWakeJob { return nil }
            s.sequence += 1
            let deadline = min(slot.deadline, Self.horizon)
            let earliest = s.heap.min.map { deadline < $0.deadline } ?? true
            s.heap.insert(TimerEntry(deadline: deadline, sequence: s.sequence, slot: slot))
            return earliest
        }
    }

    /// Takes every timer holding a wake job, earliest first, and refuses wake jobs from now on.
    func closeToWakeJobs() -> [TimerSlot] {
        state.withLock { s in
            s.closedToWakeJobs = true
            let wake = s.heap.unordered.filter { $0.slot.holdsWakeJob }
            s.heap = Heap(s.heap.unordered.filter { !$0.slot.holdsWakeJob })
            return wake.sorted().map(\.slot)
        }
    }

    var nextDeadline: UInt64? { state.withLock { $0.heap.min?.deadline } }

    var count: Int { state.withLock { $0.heap.count } }

    /// Removes and returns every timer due at `now`, earliest first.
    func expired(at now: UInt64) -> [TimerSlot] {
        state.withLock { s in
            var due: [TimerSlot] = []
            while let first = s.heap.min, first.deadline <= now {
                let slot = s.heap.removeMin().slot
                if slot.isCancelled {
                    s.duds = max(0, s.duds - 1)
                } else {
                    due.append(slot)
                }
            }
            return due
        }
    }

    /// Notes that a sleep in the heap was cancelled; drops the duds once they are more than half.
    func noteCancelled() {
        state.withLock { s in
            s.duds += 1
            guard s.duds * 2 > s.heap.count else { return }
            s.heap = Heap(s.heap.unordered.filter { !$0.slot.isCancelled })
            s.duds = 0
        }
    }
}
