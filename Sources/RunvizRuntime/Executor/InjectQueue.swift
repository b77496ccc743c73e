// The global inject queue: where jobs land when they are scheduled from a thread that is not one
// of this runtime's workers (the UI, a blocking-pool thread, another runtime). Any worker pops from
// it. `depth` mirrors the count for lock-free readers (the empty check, the watchdog) and is the
// runtime's own; RuntimeMetrics gets a copy for the dashboard, written under the same lock.
// Shutdown closes it to jobs of the global executor (`close`): from then on the Scheduler hands
// those back to Swift's own global executor, and a push that comes too late says so (nil). A
// worker's full run queue spills half of itself here in one batch (`push(overflowing:)`).

import DequeModule
import RunvizLock
import RunvizTelemetry
import Synchronization

final class InjectQueue: Sendable {
    private let jobs = Lock<(jobs: Deque<ScheduledJob>, closed: Bool)>((Deque(minimumCapacity: 1024), false))
    private let depth = Atomic<Int>(0)
    private let metrics: RuntimeMetrics

    init(metrics: RuntimeMetrics) { self.metrics = metrics }

    /// Appends a job; returns how many jobs were ahead of it, or nil for a global job once closed.
    func push(_ job: ScheduledJob) -> Int? {
        jobs.withLock { q in
            if q.closed && job.origin == .global { return nil }
            q.jobs.append(job)
            depth.store(q.jobs.count, ordering: .sequentiallyConsistent)
            metrics.setInjectQueueDepth(q.jobs.count)
            return q.jobs.count - 1
        }
    }

    /// Appends a worker's overflow, in order, under one lock; returns how many jobs were ahead of the
    /// last. Taken even once closed: only a running worker spills, and the queue closes after they stop.
    func push(overflowing batch: UnsafeBufferPointer<ScheduledJob>) -> Int {
        jobs.withLock { q in
            q.jobs.append(contentsOf: batch)
            depth.store(q.jobs.count, ordering: .sequentiallyConsistent)
            metrics.setInjectQueueDepth(q.jobs.count)
            return q.jobs.count - 1
        }
    }

    func pop() -> ScheduledJob? {
        if depth.load(ordering: .sequentiallyConsistent) == 0 { return nil }
        return jobs.withLock { q in
            let job = q.jobs.popFirst()
            depth.store(q.jobs.count, ordering: .relaxed)
            metrics.setInjectQueueDepth(q.jobs.count)
            return job
        }
    }

    /// Refuses global jobs from now on and takes the global jobs queued (the rest stay).
    func close() -> [ScheduledJob] {
        jobs.withLock { q in
            q.closed = true
            let global = Array(q.jobs.lazy.filter { $0.origin == .global })
            q.jobs.removeAll { $0.origin == .global }
            depth.store(q.jobs.count, ordering: .relaxed)
            metrics.setInjectQueueDepth(q.jobs.count)
            return global
        }
    }

    var count: Int { depth.load(ordering: .relaxed) }
}
