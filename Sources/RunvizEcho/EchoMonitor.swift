// Samples the echo server's statistics from inside the runtime (a task that wakes every
// `interval`, since the totals sit behind the async mutex) and publishes an EchoSnapshot that any
// thread can read without waiting: the dashboard never blocks on the runtime.

import RunvizRuntime
import RunvizTelemetry
import Synchronization

public final class EchoMonitor: Sendable {
    public let server: EchoServer
    private let latest: Mutex<EchoSnapshot>
    private let task = Mutex<JoinHandle<Void>?>(nil)

    public init(server: EchoServer) {
        self.server = server
        latest = Mutex(EchoSnapshot(address: server.address.description, mode: EchoSnapshot.Mode(server.mode)))
    }

    /// The most recent sample.
    public var snapshot: EchoSnapshot {
        var s = latest.withLock { $0 }
        // Connection counts are atomics: always current.
        s.openConnections = server.stats.openConnections
        s.taskConnections = server.stats.openTasks.load(ordering: .relaxed)
        s.threadConnections = server.stats.openThreads.load(ordering: .relaxed)
        s.totalConnections = server.stats.accepted.load(ordering: .relaxed)
        s.mode = EchoSnapshot.Mode(server.mode)
        return s
    }

    public func start(interval: Duration = .milliseconds(500)) {
        let handle = server.runtime.spawn(name: "echo-stats") { [self] in
            var previous = await server.stats.totals()
            var previousCounts = server.stats.latency.counts()
            var previousAt = Runtime.now
            while !server.runtime.isShutDown {
                try await server.runtime.sleep(for: interval)
                let totals = await server.stats.totals()
                let counts = server.stats.latency.counts()
                let now = Runtime.now
                let seconds = Double(now &- previousAt) / 1e9
                let sample = EchoSnapshot(
                    address: server.address.description, mode: EchoSnapshot.Mode(server.mode),
                    roundTripsPerSecond: Double(totals.echoes &- previous.echoes) / seconds,
                    bytesPerSecond: Double(totals.bytes &- previous.bytes) / seconds,
                    p50Micros: Double(LatencyHistogram.percentile(50, from: previousCounts, to: counts)) / 1e3,
                    p99Micros: Double(LatencyHistogram.percentile(99, from: previousCounts, to: counts)) / 1e3,
                    acceptBackoffs: server.stats.acceptBackoffs.load(ordering: .relaxed),
                    connectionErrors: server.stats.connectionErrors.load(ordering: .relaxed))
                latest.withLock { $0 = sample }
                previous = totals
                previousCounts = counts
                previousAt = now
            }
        }
        task.withLock { $0 = handle }
    }

    public func stop() { task.withLock { $0?.cancel() } }
}
