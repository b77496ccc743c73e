// Helpers for runtime tests: a runtime with an aggregator beside it, and polling for a condition
// with a deadline (tests wait for facts, never sleep for a fixed time and hope).

import CRunvizLinux
import Foundation
import RunvizRuntime
import RunvizTelemetry

struct Observed {
    let runtime: Runtime
    let aggregator: Aggregator

    init(workers: Int = 2, blockedMs: Int = 10) throws {
        runtime = try Runtime(RuntimeConfiguration(workers: workers, blockedThreshold: .milliseconds(blockedMs)))
        aggregator = Aggregator(
            hub: runtime.telemetry,
            configuration: ConfigurationSummary(
                workers: workers, maxBlockingThreads: 64, blockedThresholdNanos: UInt64(blockedMs) * 1_000_000,
                instrumentation: true),
            startedAt: runtime.startedAt)
    }

    func snapshot() -> RuntimeSnapshot {
        aggregator.drain(now: Runtime.now)
        return aggregator.snapshot(now: Runtime.now)
    }

    /// Drains and snapshots until `condition` holds or `seconds` pass; returns the last snapshot.
    @discardableResult
    func waitFor(
        _ what: String, seconds: Double = 5, _ condition: (RuntimeSnapshot) -> Bool
    ) -> (RuntimeSnapshot, Bool) {
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

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(2_000)
    }
    return true
}
