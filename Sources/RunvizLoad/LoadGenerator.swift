// LoadGenerator: runs one load according to LoadOptions and returns a LoadReport.
//
// run() does, in order: validate the options → resolve the host → raise RLIMIT_NOFILE if the clients need
// it → probe one connection (so "connection refused" is one clear error, not 10,000 counted ones) → start
// the worker threads (clients dealt round-robin, created with a tight timer slack) → sleep, waking about
// once a second to hand a progress sample to the caller → join the workers → merge their counters and
// histograms into the report.
//
// The calling thread only watches; the load itself runs on the worker threads (see LoadWorker for why
// they are plain epoll loops and not the runviz runtime). Everything is bounded: the run ends by count,
// by its time limit (`LoadOptions.timeLimit`), or by stop(), and after that in-flight echoes get a short,
// fixed grace time.

import CRunvizLinux
import Glibc
import Histogram
import Synchronization

/// A load run against a TCP echo server.
public final class LoadGenerator: Sendable {
    public let options: LoadOptions
    private let control = LoadControl()
    private let started = Atomic<Bool>(false)

    /// After the time limit, echoes still in flight get this long before they count as timeouts.
    static let drainSeconds = 2.0
    /// After stop(), echoes still in flight get this long (and are not errors if they miss it).
    static let stopGraceSeconds = 0.5
    static let probeTimeoutMs: Int32 = 3_000
    static let connectsInFlight = 256

    public init(_ options: LoadOptions) {
        self.options = options
    }

    /// Ends the run early (from any thread): in-flight echoes may finish for a moment, then run() returns.
    public func stop() {
        control.requestStop(.drain)
    }

    /// Makes SIGINT (Ctrl-C) stop any running load instead of killing the process; a second SIGINT kills.
    public static func stopOnInterrupt() {
        InterruptFlag.shared.install()
    }

    /// Runs the load on its own threads and blocks until it is over. `progress` is called on the calling
    /// thread about once a second while the load runs.
    public func run(progress: (LoadProgress) -> Void = { _ in }) throws(LoadError) -> LoadReport {
        guard !started.exchange(true, ordering: .relaxed) else {
            throw .invalidOption(name: "run", problem: "was already called on this LoadGenerator")
        }
        try options.validate()
        let target = try LoadTarget.resolve(host: options.host, port: options.port)
        let threads = options.threadCount
        try FileLimit.ensure(options.clients + threads + FileLimit.slack)
        try target.probe(timeoutMs: LoadGenerator.probeTimeoutMs)

        let startNs = runviz_now_ns()
        let plans = (0..<threads).map { makePlan(worker: $0, threads: threads, target: target, startNs: startNs) }
        let mailboxes = plans.map { _ in WorkerShared() }
        var workers: [WorkerThread] = []
        let slack = TimerSlack.tightenForNewThreads()
        defer { slack?.restore() }
        for (index, plan) in plans.enumerated() {
            do {
                workers.append(
                    try WorkerThread.start(
                        plan: plan, control: control, shared: mailboxes[index], name: "runviz-load-\(index)"))
            } catch {
                control.requestStop(.immediate)
                for worker in workers { worker.join() }
                throw error
            }
        }
        slack?.restore()

        watch(startNs: startNs, workers: threads, mailboxes: mailboxes, progress: progress)
        for worker in workers { worker.join() }
        return report(startNs: startNs, threads: threads, mailboxes: mailboxes)
    }

    func makePlan(worker: Int, threads: Int, target: LoadTarget, startNs: UInt64) -> WorkerPlan {
        func nanos(_ seconds: Double) -> UInt64 { UInt64((seconds * 1e9).rounded()) }
        let slots = options.clients / threads + (worker < options.clients % threads ? 1 : 0)
        return WorkerPlan(
            index: worker, target: target, scenario: options.scenario, messageSize: options.messageSize,
            rateIntervalNs: options.rate.map { max(nanos(1 / $0), 1) } ?? 0,
            countPerClient: UInt64(options.effectiveCount ?? 0), firstClient: worker, clientStride: threads,
            slotCount: slots, totalClients: options.clients, startNs: startNs, rampNs: nanos(options.ramp),
            deadlineNs: startNs + nanos(options.timeLimit), drainNs: nanos(LoadGenerator.drainSeconds),
            stopGraceNs: nanos(LoadGenerator.stopGraceSeconds), ioTimeoutNs: nanos(options.timeout),
            connectTimeoutNs: nanos(min(options.timeout, 10)), reconnectDelayNs: nil,
            maxConnectsInFlight: max(16, LoadGenerator.connectsInFlight / threads), followsTarget: false)
    }

    /// Sleeps until every worker is done, sampling progress about once a second.
    private func watch(startNs: UInt64, workers: Int, mailboxes: [WorkerShared], progress: (LoadProgress) -> Void) {
        var lastNs = startNs
        var lastRoundTrips: UInt64 = 0
        var nextProgressNs = startNs + 1_000_000_000
        while control.finishedWorkers.load(ordering: .acquiring) < workers {
            if InterruptFlag.shared.isRaised { control.requestStop(.drain) }
            let now = runviz_now_ns()
            if now >= nextProgressNs {
                var totals = WorkerCounters()
                for mailbox in mailboxes { totals.add(mailbox.counters.withLock { $0 }) }
                let recent = control.liveLatency.withLock { histogram in
                    let summary = LatencySummary(histogram)
                    histogram.reset()
                    return summary
                }
                let seconds = Double(now - lastNs) / 1e9
                progress(
                    LoadProgress(
                        elapsedSeconds: Double(now - startNs) / 1e9, openConnections: totals.openConnections,
                        clients: options.clients, roundTrips: totals.roundTrips,
                        roundTripsPerSecond: seconds > 0 ? Double(totals.roundTrips - lastRoundTrips) / seconds : 0,
                        p50: recent.p50, p99: recent.p99, errors: totals.errors.total))
                lastNs = now
                lastRoundTrips = totals.roundTrips
                nextProgressNs = now + 1_000_000_000
            }
            let untilProgress = nextProgressNs > now ? nextProgressNs - now : 0
            control.sleep(timeoutNs: Int64(min(untilProgress, 100_000_000)))
        }
    }

    private func report(startNs: UInt64, threads: Int, mailboxes: [WorkerShared]) -> LoadReport {
        var totals = WorkerCounters()
        var latency = LatencySummary.makeHistogram()
        var scheduleLatency = LatencySummary.makeHistogram()
        var firstMismatch: String?
        var firstOther: String?
        var endNs = startNs
        var duringLoad: UInt64 = 0
        var allConnectedNs: UInt64? = startNs
        var connectedRate: Double? = 0
        for mailbox in mailboxes {
            guard let result = mailbox.result.withLock({ $0 }) else { continue }
            if let all = allConnectedNs, let workerAll = result.allConnectedNs {
                allConnectedNs = max(all, workerAll)
            } else {
                allConnectedNs = nil
            }
            if let rate = connectedRate, let workerRate = result.connectedRate {
                connectedRate = rate + workerRate
            } else {
                connectedRate = nil
            }
            totals.add(result.counters)
            latency.add(result.latency)
            scheduleLatency.add(result.scheduleLatency)
            firstMismatch = firstMismatch ?? result.firstMismatch
            firstOther = firstOther ?? result.firstOtherError
            endNs = max(endNs, result.loadEndNs)
            duringLoad += result.roundTripsAtLoadEnd
        }
        let count = options.effectiveCount.map { UInt64($0) * UInt64(options.clients) }
        return LoadReport(
            options: options, threads: threads, connectedClients: totals.connectedClients,
            connectionsOpened: totals.connectionsOpened, resetsSent: totals.resetsSent,
            roundTrips: totals.roundTrips, expectedRoundTrips: count, elapsedSeconds: Double(endNs - startNs) / 1e9,
            bytesSent: totals.bytesSent, bytesReceived: totals.bytesReceived, latency: LatencySummary(latency),
            errors: totals.errors, firstMismatch: firstMismatch, firstOtherError: firstOther,
            stoppedEarly: control.mode != .running, connectSeconds: allConnectedNs.map { Double($0 - startNs) / 1e9 },
            connectedRoundTripsPerSecond: connectedRate, roundTripsDuringLoad: duringLoad,
            scheduleLatency: options.rate == nil || options.scenario == .slowReader
                ? nil : LatencySummary(scheduleLatency))
    }
}
