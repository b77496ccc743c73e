// A worker's local run queue: FIFO for its owner, and stealable by other workers (they take the
// older half). A small uncontended lock guards it: the owner is the only frequent user, thieves come
// only when they are idle. The worker's `localDepth` counter mirrors the count for lock-free
// readers (the notifier, the dashboard).

import DequeModule
import RunvizTelemetry
import Synchronization

final class RunQueue: Sendable {
    private let jobs = Mutex<Deque<UnownedJob>>(Deque(minimumCapacity: 256))
    private let counters: WorkerCounters

    init(counters: WorkerCounters) { self.counters = counters }

    /// Appends a job; returns how many jobs were ahead of it.
    @inline(__always)
    func push(_ job: UnownedJob) -> Int {
        jobs.withLock { q in
            q.append(job)
            counters.localDepth.store(q.count, ordering: .sequentiallyConsistent)
            return q.count - 1
        }
    }

    @inline(__always)
    func pop() -> UnownedJob? {
        if counters.localDepth.load(ordering: .relaxed) == 0 { return nil }
        return jobs.withLock { q in
            let job = q.popFirst()
            counters.localDepth.store(q.count, ordering: .relaxed)
            return job
        }
    }

    /// Takes the older half (at least one) of the queue for a thief.
    func stealHalf() -> [UnownedJob] {
        if counters.localDepth.load(ordering: .relaxed) == 0 { return [] }
        return jobs.withLock { q in
            let n = (q.count + 1) / 2
            guard n > 0 else { return [] }
            let taken = Array(q.prefix(n))
            q.removeFirst(n)
            counters.localDepth.store(q.count, ordering: .relaxed)
            return taken
        }
    }

    var count: Int { counters.localDepth.load(ordering: .relaxed) }
}
