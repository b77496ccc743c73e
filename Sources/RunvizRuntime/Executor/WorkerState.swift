// A worker's place in the idle protocol: one atomic byte, private to the runtime (tokio keeps its
// `Idle` state and the worker's core apart from metrics/worker.rs). The worker publishes a copy of
// it to its WorkerMetrics for the dashboard; no decision ever reads that copy.
//
//     searching ──startJob──▶ running ──finishJob──▶ searching
//     searching ──prepareToPark──▶ parked | parkedInDriver ──wake──▶ searching
//     parked | parkedInDriver ──claim (a notifier)──▶ searching
//     any ──stop──▶ stopped
//
// The two sleeping states say where the worker sleeps, as tokio's park.rs has PARKED_CONDVAR and
// PARKED_DRIVER: on its Parker, or inside epoll_wait holding the I/O driver. A notifier claims a
// sleeper with a compare-and-swap to `searching` (so exactly one notifier wakes it, and the claimed
// worker counts as searching from then on), then wakes it through the Parker or the driver's
// eventfd; both remember a wake that comes before the sleep (tokio's NOTIFIED), so none is lost.
// Invariant: a worker publishes its sleeping state (sequentially consistent) before its last look
// for work, and a notifier queues its job before it reads the states, so either the notifier sees
// the sleeper or the sleeper sees the job.

import RunvizTelemetry
import Synchronization

struct WorkerState: ~Copyable, Sendable {
    enum Phase: UInt8 {
        /// Awake between jobs: looking at the queues, or about to (a claimed sleeper).
        case searching
        /// Inside a job.
        case running
        /// Asleep on its Parker.
        case parked
        /// Asleep inside epoll_wait, holding the I/O driver.
        case parkedInDriver
        /// Its thread has left the loop (shutdown).
        case stopped
    }

    private let raw = Atomic<UInt8>(Phase.searching.rawValue)

    init() {}

    @inline(__always)
    var phase: Phase { Phase(rawValue: raw.load(ordering: .sequentiallyConsistent)) ?? .searching }

    // Transitions made by the worker itself.

    /// No notifier acts on `running`, so the store needs no ordering.
    @inline(__always)
    func startJob() { raw.store(Phase.running.rawValue, ordering: .relaxed) }

    @inline(__always)
    func finishJob() { raw.store(Phase.searching.rawValue, ordering: .sequentiallyConsistent) }

    /// Publishes where the worker is about to sleep; it must look for work once more after this.
    func prepareToPark(inDriver: Bool) -> Phase {
        let sleep: Phase = inDriver ? .parkedInDriver : .parked
        raw.store(sleep.rawValue, ordering: .sequentiallyConsistent)
        return sleep
    }

    /// Back from a sleep, or from a park given up because work turned up; claimed or not.
    func wake() { raw.store(Phase.searching.rawValue, ordering: .sequentiallyConsistent) }

    func stop() { raw.store(Phase.stopped.rawValue, ordering: .sequentiallyConsistent) }

    // The one transition made by others.

    /// A notifier's claim on a worker asleep in `sleeping`: true for exactly one claimant, who must
    /// then wake it.
    func claim(_ sleeping: Phase) -> Bool {
        raw.compareExchange(
            expected: sleeping.rawValue, desired: Phase.searching.rawValue, ordering: .sequentiallyConsistent
        ).exchanged
    }
}

extension WorkerState.Phase {
    /// What the dashboard calls this phase.
    var activity: WorkerActivity {
        switch self {
        case .searching: .searching
        case .running: .running
        case .parked: .parked
        case .parkedInDriver: .parkedInDriver
        case .stopped: .stopped
        }
    }
}
