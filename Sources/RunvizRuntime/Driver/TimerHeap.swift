// The runtime's timers: a min-heap of deadlines (swift-collections' Heap) behind a lock. `sleep`
// inserts; the driver fires what has expired after each epoll_wait and sleeps no longer than the
// earliest deadline. A cancelled sleep resumes at once and leaves a dud entry that fires as a no-op.
// Entries with equal deadlines fire in insertion order (the sequence number breaks ties).

import HeapModule
import Synchronization

struct TimerEntry: Comparable {
    let deadline: UInt64
    let sequence: UInt64
    let slot: TimerSlot
    static func < (a: TimerEntry, b: TimerEntry) -> Bool { (a.deadline, a.sequence) < (b.deadline, b.sequence) }
    static func == (a: TimerEntry, b: TimerEntry) -> Bool { a.deadline == b.deadline && a.sequence == b.sequence }
}

final class TimerHeap: Sendable {
    private struct State {
        var heap = Heap<TimerEntry>()
        var sequence: UInt64 = 0
    }
    private let state = Mutex(State())

    /// Adds a timer; returns true when it is now the earliest (the sleeping driver must recompute its timeout).
    func insert(_ slot: TimerSlot) -> Bool {
        state.withLock { s in
            s.sequence += 1
            let earliest = s.heap.min.map { slot.deadline < $0.deadline } ?? true
            s.heap.insert(TimerEntry(deadline: slot.deadline, sequence: s.sequence, slot: slot))
            return earliest
        }
    }

    var nextDeadline: UInt64? { state.withLock { $0.heap.min?.deadline } }

    var count: Int { state.withLock { $0.heap.count } }

    /// Removes and returns every timer due at `now`, earliest first.
    func expired(at now: UInt64) -> [TimerSlot] {
        state.withLock { s in
            var due: [TimerSlot] = []
            while let first = s.heap.min, first.deadline <= now {
                due.append(s.heap.removeMin().slot)
            }
            return due
        }
    }
}
