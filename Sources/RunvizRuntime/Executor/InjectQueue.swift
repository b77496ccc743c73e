// The global inject queue: where jobs land when they are scheduled from a thread that is not one
// of this runtime's workers (the UI, a blocking-pool thread, another runtime). Any worker pops from
// it. Its depth is published in the telemetry hub for the dashboard.

import DequeModule
import RunvizTelemetry
import Synchronization

final class InjectQueue: Sendable {
    private let jobs = Mutex<Deque<UnownedJob>>(Deque(minimumCapacity: 1024))
    private let hub: TelemetryHub

    init(hub: TelemetryHub) { self.hub = hub }

    func push(_ job: UnownedJob) -> Int {
        jobs.withLock { q in
            q.append(job)
            hub.injectDepth.store(q.count, ordering: .sequentiallyConsistent)
            return q.count - 1
        }
    }

    func pop() -> UnownedJob? {
        if hub.injectDepth.load(ordering: .sequentiallyConsistent) == 0 { return nil }
        return jobs.withLock { q in
            let job = q.popFirst()
            hub.injectDepth.store(q.count, ordering: .relaxed)
            return job
        }
    }

    var count: Int { hub.injectDepth.load(ordering: .relaxed) }
}
