// An Aggregator set up for one runtime: its configuration in the snapshot's words, its start as
// the uptime's origin, and its blocked threshold as the BLOCKED verdict (the watchdog's own, unless
// the caller names another). `globalExecutor` says the runtime runs a program's own tasks: it does
// when it is the process's global executor, unless the caller (runviz's session, whose tasks are
// its own) says otherwise.

import RunvizObservation
import RunvizRuntime

extension Aggregator {
    public init(observing runtime: Runtime, blockedNanos: UInt64? = nil, globalExecutor: Bool? = nil) {
        let configuration = runtime.configuration
        let blocked = blockedNanos ?? configuration.blockedThreshold.nanoseconds
        self.init(
            configuration: ConfigurationSummary(
                workers: configuration.workers, maxBlockingThreads: configuration.maxBlockingThreads,
                blockedThresholdNanos: blocked, instrumentation: runtime.instrumentation,
                globalExecutor: globalExecutor ?? runtime.isGlobalExecutor),
            startedAt: runtime.startedAt, thresholds: Thresholds(blocked: blocked))
    }
}
