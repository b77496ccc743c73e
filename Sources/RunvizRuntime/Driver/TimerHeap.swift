// The runtime's timers: a min-heap of deadlines (swift-collections' Heap) behind a lock. `sleep`
// inserts; the driver fires what has expired after each epoll_wait and sleeps no longer than the
// earliest deadline. A cancelled sleep resumes at once and leaves a dud entry that fires as a no-op.

import HeapModule
import RunvizTelemetry
import Synchronization

final class TimerSlot: Sendable {
    let task: UInt64
    let deadline: UInt64
    private struct State {
        var continuation: UnsafeContinuation<Void, Error>?
        var cancelled = false
    }
    private let state = Mutex(State())

    init(task: UInt64, deadline: UInt64) {
        self.task = task
        self.deadline = deadline
    }

    /// Stores the sleeper's continuation; false when the sleep was cancelled first (the caller resumes it).
    func arm(_ c: UnsafeContinuation<Void, Error>) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.continuation = c
            return true
        }
    }

    /// Takes the continuation, so exactly one of fire/cancel resumes it.
    func take() -> UnsafeContinuation<Void, Error>? {
        state.withLock { s in
            defer { s.continuation = nil }
            return s.continuation
        }
    }

    /// Cancels the sleep: takes the continuation if armed, and makes a later `arm` fail.
    func cancel() -> UnsafeContinuation<Void, Error>? {
        state.withLock { s in
            s.cancelled = true
            defer { s.continuation = nil }
            return s.continuation
        }
    }
}

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
