// An Aggregator set up for one runtime: its configuration in the snapshot's words, its start as
// the uptime's origin, and its blocked threshold as the BLOCKED verdict (the watchdog's own, unless
// the caller names another).

import RunvizObservation
import RunvizRuntime

extension Aggregator {
    public init(observing runtime: Runtime, blockedNanos: UInt64? = nil) {
        let configuration = runtime.configuration
        let blocked = blockedNanos ?? configuration.blockedThreshold.nanoseconds
        self.init(
            configuration: ConfigurationSummary(
                workers: configuration.workers, maxBlockingThreads: configuration.maxBlockingThreads,
                blockedThresholdNanos: blocked, instrumentation: runtime.instrumentation,
                globalExecutor: runtime.isGlobalExecutor),
            startedAt: runtime.startedAt, thresholds: Thresholds(blocked: blocked))
    }
}
