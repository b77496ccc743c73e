// A worker's local run queue: FIFO for its owner, and stealable by other workers (they take the
// older half). A small uncontended lock guards it: the owner is the only frequent user, thieves come
// only when they are idle. `depth` mirrors the count for lock-free readers (the owner's empty check,
// notifiers, the watchdog) and is the runtime's own; the worker's WorkerMetrics gets a copy for the
// dashboard. Both are written under the lock, so they follow the queue exactly.

import DequeModule
import RunvizLock
import RunvizTelemetry
import Synchronization

final class RunQueue: Sendable {
    private let jobs = Lock<Deque<ScheduledJob>>(Deque(minimumCapacity: 256))
    private let depth = Atomic<Int>(0)
    private let metrics: WorkerMetrics

    init(metrics: WorkerMetrics) { self.metrics = metrics }

    /// Appends a job; returns how many jobs were ahead of it.
    @inline(__always)
    func push(_ job: ScheduledJob) -> Int {
        jobs.withLock { q in
            q.append(job)
            depth.store(q.count, ordering: .sequentiallyConsistent)
            metrics.setLocalQueueDepth(q.count)
            return q.count - 1
        }
    }

    @inline(__always)
    func pop() -> ScheduledJob? {
        if depth.load(ordering: .relaxed) == 0 { return nil }
        return jobs.withLock { q in
            let job = q.popFirst()
            depth.store(q.count, ordering: .relaxed)
            metrics.setLocalQueueDepth(q.count)
            return job
        }
    }

    /// Takes the older half (at least one) of the queue for a thief.
    func stealHalf() -> [ScheduledJob] {
        if depth.load(ordering: .relaxed) == 0 { return [] }
        return jobs.withLock { q in
            let n = (q.count + 1) / 2
            guard n > 0 else { return [] }
            let taken = Array(q.prefix(n))
            q.removeFirst(n)
            depth.store(q.count, ordering: .relaxed)
            metrics.setLocalQueueDepth(q.count)
            return taken
        }
    }

    /// Takes every job, for shutdown once the owner has stopped.
    func takeAll() -> [ScheduledJob] {
        jobs.withLock { q in
            let all = Array(q)
            q.removeAll()
            depth.store(0, ordering: .relaxed)
            metrics.setLocalQueueDepth(0)
            return all
        }
    }

    var count: Int { depth.load(ordering: .relaxed) }
}
