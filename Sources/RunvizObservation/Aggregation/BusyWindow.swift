// Each worker's busy % over the second that ends now, not the last whole second sampled: a worker
// BLOCKED for 600 ms reads at least 60 %, not the idle second before the block, and one parked again
// falls back within a second instead of reading 100 % until the next sample.
//
// Busy time is cumulative and includes the running job so far (the worker's busy counter grows only
// when a job ends). The window keeps a checkpoint of every worker's busy time at most every
// `spacing`, and only those needed to reach one `span` back, so the ratio covers between `span`
// and `span + spacing`. Busy time never runs backwards: a reading torn between a job's end and its
// total is held at the last checkpoint. A value like the rest of the aggregator: the ratio at an
// instant depends only on the checkpoints and the reading, so publishing twice gives the same.

import RunvizTelemetry

struct BusyWindow: Equatable {
    static let span: UInt64 = 1_000_000_000
    static let spacing: UInt64 = 100_000_000

    private struct Checkpoint: Equatable {
        var time: UInt64
        var busy: [UInt64]
    }
    /// Oldest first; the first is the newest one at least `span` old, once there is one.
    private var checkpoints: [Checkpoint] = []

    /// Cumulative busy time of `worker` in `counters` at `now`, its running job included.
    static func busy(_ worker: CounterReading.Worker, now: UInt64) -> UInt64 {
        let started = worker.jobStartedAt
        return worker.busyNanos &+ (started != 0 && started < now ? now - started : 0)
    }

    /// Takes a checkpoint when `spacing` has passed since the last one, and drops those the window
    /// no longer reaches.
    mutating func note(now: UInt64, counters: CounterReading) {
        if let last = checkpoints.last, now < last.time &+ Self.spacing { return }
        let floor = checkpoints.last?.busy ?? []
        let busy = counters.workers.enumerated().map { i, w in
            max(i < floor.count ? floor[i] : 0, Self.busy(w, now: now))
        }
        checkpoints.append(Checkpoint(time: now, busy: busy))
        while checkpoints.count > 1, now &- checkpoints[1].time >= Self.span { checkpoints.removeFirst() }
    }

    /// The fraction of the window ending at `now` that `worker` spent running jobs, 0...1 (0 before
    /// the window has a checkpoint older than `now`).
    func ratio(of worker: Int, _ reading: CounterReading.Worker, now: UInt64) -> Double {
        guard
            let start = checkpoints.last(where: { now &- $0.time >= Self.span && $0.time < now })
                ?? checkpoints.first(where: { $0.time < now })
        else { return 0 }
        let then = worker < start.busy.count ? start.busy[worker] : 0
        let latest = checkpoints.last.map { worker < $0.busy.count ? $0.busy[worker] : 0 } ?? 0
        let busy = max(latest, Self.busy(reading, now: now))
        return min(1, Double(busy &- min(busy, then)) / Double(now - start.time))
    }
}
