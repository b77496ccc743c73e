// How to build a Runtime (the primer's `Builder::new_multi_thread()`), and the checks that turn a
// bad value into a thrown error with a clear message instead of a crash.

import Glibc

public struct RuntimeConfiguration: Sendable, Equatable {
    /// Worker threads running tasks. Default: the number of online cores.
    public var workers: Int
    /// Upper bound on blocking-pool threads.
    public var maxBlockingThreads: Int
    /// Idle blocking threads exit after this long (0 to a day, `maxBlockingKeepAlive`).
    public var blockingKeepAlive: Duration
    /// A job running longer than this marks its worker BLOCKED.
    public var blockedThreshold: Duration
    /// Events per recording thread's ring; overflow is counted as dropped.
    public var eventRingCapacity: Int
    /// Whether events are recorded from the start (can be switched at run time).
    public var instrumentation: Bool
    /// How long `shutdown` lets cancelled tasks run to their end before it abandons them (0 to a
    /// day, `maxShutdownTimeout`).
    public var shutdownTimeout: Duration

    public init(
        workers: Int? = nil, maxBlockingThreads: Int = 64, blockingKeepAlive: Duration = .seconds(10),
        blockedThreshold: Duration = .milliseconds(10), eventRingCapacity: Int = 1 << 16, instrumentation: Bool = true,
        shutdownTimeout: Duration = .seconds(5)
    ) {
        self.workers = workers ?? RuntimeConfiguration.onlineCores
        self.maxBlockingThreads = maxBlockingThreads
        self.blockingKeepAlive = blockingKeepAlive
        self.blockedThreshold = blockedThreshold
        self.eventRingCapacity = eventRingCapacity
        self.instrumentation = instrumentation
        self.shutdownTimeout = shutdownTimeout
    }

    /// The longest `blockingKeepAlive` accepted: a day (longer is a pool that never shrinks, and
    /// would not fit the nanosecond clock arithmetic anyway).
    public static let maxBlockingKeepAlive = Duration.seconds(86_400)

    /// The longest `shutdownTimeout` accepted: a day.
    public static let maxShutdownTimeout = Duration.seconds(86_400)

    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// A setting `validate` can reject. Callers that name settings their own way (the CLI's flags)
    /// put their name before the problem.
    public enum Setting: String, Sendable, CaseIterable {
        case workers, maxBlockingThreads, blockingKeepAlive, blockedThreshold, eventRingCapacity, shutdownTimeout

        /// How the runtime's own messages name it.
        public var words: String {
            switch self {
            case .workers: return "workers"
            case .maxBlockingThreads: return "max blocking threads"
            case .blockingKeepAlive: return "blocking keep-alive"
            case .blockedThreshold: return "blocked threshold"
            case .eventRingCapacity: return "event ring capacity"
            case .shutdownTimeout: return "shutdown timeout"
            }
        }
    }

    public func validate() throws(RuntimeError) {
        guard (1...64).contains(workers) else {
            throw .invalidSetting(.workers, "must be between 1 and 64 (got \(workers))")
        }
        guard (1...4096).contains(maxBlockingThreads) else {
            throw .invalidSetting(.maxBlockingThreads, "must be between 1 and 4096 (got \(maxBlockingThreads))")
        }
        guard blockedThreshold > .zero, blockedThreshold <= .seconds(60) else {
            let ns = blockedThreshold.nanoseconds
            let got =
                blockedThreshold > .seconds(60)
                ? "\(blockedThreshold.components.seconds) s"
                : ns.isMultiple(of: 1_000_000) ? "\(ns / 1_000_000) ms" : "\(Double(ns) / 1e6) ms"
            throw .invalidSetting(.blockedThreshold, "must be more than 0 and at most 60 s (got \(got))")
        }
        guard (64...(1 << 24)).contains(eventRingCapacity) else {
            throw .invalidSetting(.eventRingCapacity, "must be between 64 and 16777216 (got \(eventRingCapacity))")
        }
        guard blockingKeepAlive >= .zero else {
            throw .invalidSetting(.blockingKeepAlive, "must not be negative")
        }
        guard blockingKeepAlive <= Self.maxBlockingKeepAlive else {
            throw .invalidSetting(
                .blockingKeepAlive,
                "must be at most \(Self.maxBlockingKeepAlive.components.seconds) s "
                    + "(got \(blockingKeepAlive.components.seconds) s)")
        }
        guard shutdownTimeout >= .zero, shutdownTimeout <= Self.maxShutdownTimeout else {
            throw .invalidSetting(
                .shutdownTimeout,
                "must be between 0 and \(Self.maxShutdownTimeout.components.seconds) s "
                    + "(got \(shutdownTimeout.components.seconds) s)")
        }
    }
}

public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    /// A configuration value out of range: which setting, and what is wrong with it.
    case invalidSetting(RuntimeConfiguration.Setting, String)
    case startFailed(String)
    case shutDown
    case blockOnFromWorker
    /// `Runtime.installAsGlobalExecutor`: Swift's global-executor hook is set already, by another
    /// executor or by an earlier install.
    case globalExecutorTaken
    /// `Runtime.installAsGlobalExecutor`: this Swift runtime has no global-executor hook.
    case globalExecutorUnavailable

    public var description: String {
        switch self {
        case .invalidSetting(let setting, let problem):
            return "invalid runtime configuration: \(setting.words) \(problem)"
        case .startFailed(let m): return "runtime failed to start: \(m)"
        case .shutDown: return "the runtime has shut down"
        case .blockOnFromWorker: return "blockOn called from a runtime worker would deadlock; await instead"
        case .globalExecutorTaken:
            return "Swift's global executor is taken already (swift_task_enqueueGlobal_hook is set: another "
                + "executor installed itself, or installAsGlobalExecutor ran before)"
        case .globalExecutorUnavailable:
            return "this Swift runtime has no global-executor hook (swift_task_enqueueGlobal_hook)"
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating: a negative duration is 0, one beyond UInt64 (584 years) is UInt64.max.
    package var nanoseconds: UInt64 {
        let (s, atto) = components
        guard s >= 0 else { return 0 }
        let (whole, overflow) = UInt64(s).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, carry) = whole.addingReportingOverflow(UInt64(max(0, atto)) / 1_000_000_000)
        return carry ? .max : sum
    }
}
