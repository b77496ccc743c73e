// A runtime with an Aggregator beside it, as the dashboard has: tests read what the runtime recorded
// through the same snapshots the screen draws.

import Foundation
import RunvizRuntime
import RunvizTelemetry

public struct RuntimeWatch {
    public let runtime: Runtime
    public let aggregator: Aggregator

    /// Watches `runtime`; `blockedNanos` is the threshold the snapshot's BLOCKED verdict uses.
    public init(_ runtime: Runtime, blockedNanos: UInt64 = 10_000_000) {
        self.runtime = runtime
        aggregator = Aggregator(
            hub: runtime.telemetry,
            configuration: ConfigurationSummary(
                workers: runtime.configuration.workers, maxBlockingThreads: runtime.configuration.maxBlockingThreads,
                blockedThresholdNanos: blockedNanos, instrumentation: runtime.instrumentation),
            startedAt: runtime.startedAt, thresholds: Aggregator.Thresholds(blocked: blockedNanos))
    }

    /// Drains every event recorded so far and reads the model now.
    public func snapshot() -> RuntimeSnapshot {
        aggregator.drain(now: Runtime.now)
        return aggregator.snapshot(now: Runtime.now)
    }

    /// Drains and snapshots until `condition` holds or `seconds` pass; returns the last snapshot.
    @discardableResult
    public func waitFor(seconds: Double = 5, _ condition: (RuntimeSnapshot) -> Bool) -> (RuntimeSnapshot, Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var s = snapshot()
        while !condition(s) {
            if Date() > deadline { return (s, false) }
            usleep(2_000)
            s = snapshot()
        }
        return (s, true)
    }
}
