// Rates and histories sampled once a second from two readings: each worker's busy history and runs
// per second, the ready-queue depth, events and wakes per second, and the aggregator's own load.
// A sample is the difference between this reading and the last sampled one over the time between
// them, so sampling late (a paused view, a slow frame) averages over a longer second, never skews.
// (The busy % shown beside the history is BusyWindow's: the second that ends now, not the last one sampled.)
// Busy time is cumulative: the worker's finished jobs plus the running job's time so far (its busy
// counter grows only when a job ends), so a job that spans several samples counts in each one.
// The ready-queue history holds each second's maximum depth (from events, or the reading's depth if
// that is larger), never a sample that a burst between two readings could slip past. Histories
// keep the last `historyLength` samples.

import RunvizTelemetry

struct RateSampler: Equatable {
    static let interval: UInt64 = 1_000_000_000
    static let historyLength = 60

    private var lastAt: UInt64
    /// When the last sample was taken (the start, before the first): every per-second figure covers
    /// the second that ended here.
    var sampledAt: UInt64 { lastAt }
    private var lastEvents: UInt64 = 0
    private var lastWakes = [UInt64](repeating: 0, count: WakeSource.allCases.count)
    private var lastRuns: [UInt64]
    /// Cumulative busy time at the last sample, running job included.
    private var lastBusy: [UInt64]
    private var workNanos: UInt64 = 0
    private(set) var readyHistory: [Int] = []
    private(set) var busyHistory: [[Double]]
    private(set) var runsPerSecond: [Double]
    private(set) var eventsPerSecond: Double = 0
    private(set) var wakesPerSecond: [WakeSource: Double] = [:]
    /// The caller's CPU time per second of runtime, as a fraction of one core.
    private(set) var load: Double = 0

    init(startedAt: UInt64, workers: Int) {
        lastAt = startedAt
        lastRuns = [UInt64](repeating: 0, count: workers)
        lastBusy = [UInt64](repeating: 0, count: workers)
        busyHistory = [[Double]](repeating: [], count: workers)
        runsPerSecond = [Double](repeating: 0, count: workers)
    }

    /// CPU time the caller spent on the runtime's telemetry since the last sample.
    mutating func accountWork(nanos: UInt64) { workNanos &+= nanos }

    /// Samples when a second has passed since the last sample; returns whether it did.
    /// `events` and `wakesBySource` are running totals.
    @discardableResult
    /// `readyPeak` is the most tasks the events saw queued at once since the last sample.
    mutating func sample(
        now: UInt64, counters: CounterReading, events: UInt64, wakesBySource: [UInt64], readyPeak: Int = 0
    ) -> Bool {
        let dt = now &- lastAt
        guard dt >= Self.interval, now > lastAt else { return false }
        let seconds = Double(dt) / 1e9
        grow(to: counters.workers.count)
        for (i, w) in counters.workers.enumerated() {
            let started = w.jobStartedAt
            // The reading's counters are separate relaxed loads: a job that ends while they are read
            // can be missing from both its total and the running job. Busy time never runs backwards.
            let busy = max(lastBusy[i], w.busyNanos &+ (started != 0 && started < now ? now - started : 0))
            let ratio = min(1, Double(busy - lastBusy[i]) / Double(dt))
            runsPerSecond[i] = Double(w.runs &- lastRuns[i]) / seconds
            Self.push(ratio, to: &busyHistory[i])
            lastBusy[i] = busy
            lastRuns[i] = w.runs
        }
        Self.push(max(readyPeak, counters.readyDepth), to: &readyHistory)
        eventsPerSecond = Double(events &- lastEvents) / seconds
        lastEvents = events
        var perSource: [WakeSource: Double] = [:]
        for s in WakeSource.allCases where s != .spawn {
            let i = Int(s.rawValue)
            perSource[s] = Double(wakesBySource[i] &- lastWakes[i]) / seconds
        }
        wakesPerSecond = perSource
        lastWakes = wakesBySource
        load = Double(workNanos) / Double(dt)
        workNanos = 0
        lastAt = now
        return true
    }

    func busyHistory(of worker: Int) -> [Double] { worker < busyHistory.count ? busyHistory[worker] : [] }
    func runsPerSecond(of worker: Int) -> Double { worker < runsPerSecond.count ? runsPerSecond[worker] : 0 }

    /// A reading with more workers than the configuration said: give the new ones empty samples.
    private mutating func grow(to workers: Int) {
        guard workers > lastRuns.count else { return }
        let extra = workers - lastRuns.count
        lastRuns += repeatElement(0, count: extra)
        lastBusy += repeatElement(0, count: extra)
        busyHistory += repeatElement([], count: extra)
        runsPerSecond += repeatElement(0, count: extra)
    }

    private static func push<T>(_ value: T, to history: inout [T]) {
        history.append(value)
        if history.count > historyLength { history.removeFirst() }
    }
}
