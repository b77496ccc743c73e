// The global inject queue: where jobs land when they are scheduled from a thread that is not one
// of this runtime's workers (the UI, a blocking-pool thread, another runtime). Any worker pops from
// it. `depth` mirrors the count for lock-free readers (the empty check, the watchdog) and is the
// runtime's own; RuntimeMetrics gets a copy for the dashboard, written under the same lock.

import DequeModule
import RunvizLock
import RunvizTelemetry
import Synchronization

final class InjectQueue: Sendable {
    private let jobs = Lock<Deque<UnownedJob>>(Deque(minimumCapacity: 1024))
    private let depth = Atomic<Int>(0)
    private let metrics: RuntimeMetrics

    init(metrics: RuntimeMetrics) { self.metrics = metrics }

    func push(_ job: UnownedJob) -> Int {
        jobs.withLock { q in
            q.append(job)
            depth.store(q.count, ordering: .sequentiallyConsistent)
            metrics.setInjectQueueDepth(q.count)
            return q.count - 1
        }
    }

    func pop() -> UnownedJob? {
        if depth.load(ordering: .sequentiallyConsistent) == 0 { return nil }
        return jobs.withLock { q in
            let job = q.popFirst()
            depth.store(q.count, ordering: .relaxed)
            metrics.setInjectQueueDepth(q.count)
            return job
        }
    }

    var count: Int { depth.load(ordering: .relaxed) }
}
