// SyntheticClients: the dashboard's built-in clients — N slow, verified echo clients running in the
// background on one load thread of their own (a LoadWorker, not the runviz runtime), adjustable while
// they run. Defaults keep the server visibly busy without saturating it: 4 messages per second per
// client, 64 bytes each.
//
// Differences from a load run: no deadline (they run until stop()), no start-up probe, and a client
// whose connection fails reconnects after a second (so restarting the server does not kill them);
// every failure is still counted by kind. add/remove/count/stats/stop are safe from any thread.

import CRunvizLinux
import RunvizLock

/// Background echo clients whose number can change while they run.
public final class SyntheticClients: Sendable {
    public static let defaultRate = 4.0
    public static let defaultSize = 64
    public static let maxClients = LoadOptions.maxClients
    static let reconnectDelaySeconds = 1.0

    public let host: String
    public let port: Int
    /// Messages per second per client.
    public let rate: Double
    /// Bytes per message.
    public let size: Int
    private let control = LoadControl()
    private let mailbox = WorkerShared()
    private let thread = Lock<WorkerThread?>(nil)
    private let resize = Lock(())

    /// Starts the background thread with `clients` clients (0 is fine: add them later).
    public init(
        host: String = "127.0.0.1", port: Int, clients: Int = 0, rate: Double = SyntheticClients.defaultRate,
        size: Int = SyntheticClients.defaultSize
    ) throws(LoadError) {
        self.host = host
        self.port = port
        self.rate = rate
        self.size = size
        try LoadOptions(host: host, port: port, clients: max(clients, 1), size: size, rate: rate).validate()
        let target = try LoadTarget.resolve(host: host, port: port)
        let startNs = runviz_now_ns()
        let plan = WorkerPlan(
            index: 0, target: target, scenario: .steady, messageSize: size,
            rateIntervalNs: max(UInt64((1e9 / rate).rounded()), 1), countPerClient: 0, firstClient: 0,
            clientStride: 1, slotCount: SyntheticClients.maxClients, totalClients: SyntheticClients.maxClients,
            startNs: startNs, rampNs: 0, deadlineNs: .max, drainNs: 0, stopGraceNs: 0,
            ioTimeoutNs: 10_000_000_000, connectTimeoutNs: 5_000_000_000,
            reconnectDelayNs: UInt64(SyntheticClients.reconnectDelaySeconds * 1e9), maxConnectsInFlight: 64,
            followsTarget: true)
        let started = try WorkerThread.start(plan: plan, control: control, shared: mailbox, name: "runviz-synth")
        thread.withLock { $0 = started }
        if clients > 0 { add(clients) }
    }

    deinit {
        stop()
    }

    /// Clients requested right now.
    public var count: Int {
        control.targetClients.load(ordering: .relaxed)
    }

    /// Adds up to `n` clients (never beyond 10,000, nor beyond what RLIMIT_NOFILE allows); returns the new count.
    @discardableResult
    public func add(_ n: Int) -> Int {
        resize.withLock { _ in
            var wanted = min(count + max(n, 0), SyntheticClients.maxClients)
            do {
                try FileLimit.ensure(wanted + FileLimit.slack)
            } catch {
                wanted = min(wanted, max(FileLimit.current - 4 * FileLimit.slack, count))
            }
            control.targetClients.store(wanted, ordering: .relaxed)
            return wanted
        }
    }

    /// Removes up to `n` clients (the most recently added first); returns the new count.
    @discardableResult
    public func remove(_ n: Int) -> Int {
        resize.withLock { _ in
            let wanted = max(count - max(n, 0), 0)
            control.targetClients.store(wanted, ordering: .relaxed)
            return wanted
        }
    }

    /// Totals so far.
    public var stats: SyntheticClientStats {
        let counters = mailbox.counters.withLock { $0 }
        let latency = control.liveLatency.withLock { LatencySummary($0) }
        return SyntheticClientStats(
            count: count, connected: counters.openConnections, roundTrips: counters.roundTrips,
            bytesSent: counters.bytesSent, bytesReceived: counters.bytesReceived,
            connectionsOpened: counters.connectionsOpened, errors: counters.errors, latency: latency)
    }

    /// Closes every client and ends the background thread (waits for it). Idempotent.
    public func stop() {
        control.requestStop(.immediate)
        let running = thread.withLock { current in
            defer { current = nil }
            return current
        }
        running?.join()
    }
}
