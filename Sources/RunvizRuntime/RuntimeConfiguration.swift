// How to build a Runtime (the primer's `Builder::new_multi_thread()`), and the checks that turn a
// bad value into a thrown error with a clear message instead of a crash.

import Glibc

public struct RuntimeConfiguration: Sendable, Equatable {
    /// Worker threads running tasks. Default: the number of online cores.
    public var workers: Int
    /// Upper bound on blocking-pool threads.
    public var maxBlockingThreads: Int
    /// Idle blocking threads exit after this long.
    public var blockingKeepAlive: Duration
    /// A job running longer than this marks its worker BLOCKED.
    public var blockedThreshold: Duration
    /// Events per recording thread's ring; overflow is counted as dropped.
    public var eventRingCapacity: Int
    /// Whether events are recorded from the start (can be switched at run time).
    public var instrumentation: Bool

    public init(
        workers: Int? = nil, maxBlockingThreads: Int = 64, blockingKeepAlive: Duration = .seconds(10),
        blockedThreshold: Duration = .milliseconds(10), eventRingCapacity: Int = 1 << 16, instrumentation: Bool = true
    ) {
        self.workers = workers ?? RuntimeConfiguration.onlineCores
        self.maxBlockingThreads = maxBlockingThreads
        self.blockingKeepAlive = blockingKeepAlive
        self.blockedThreshold = blockedThreshold
        self.eventRingCapacity = eventRingCapacity
        self.instrumentation = instrumentation
    }

    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public func validate() throws(RuntimeError) {
        guard (1...64).contains(workers) else {
            throw .invalidConfiguration("workers must be between 1 and 64 (got \(workers))")
        }
        guard (1...4096).contains(maxBlockingThreads) else {
            throw .invalidConfiguration("max blocking threads must be between 1 and 4096 (got \(maxBlockingThreads))")
        }
        guard blockedThreshold > .zero, blockedThreshold <= .seconds(60) else {
            throw .invalidConfiguration("blocked threshold must be between 0 and 60 s (got \(blockedThreshold))")
        }
        guard (64...(1 << 24)).contains(eventRingCapacity) else {
            throw .invalidConfiguration(
                "event ring capacity must be between 64 and 16777216 (got \(eventRingCapacity))")
        }
        guard blockingKeepAlive >= .zero else {
            throw .invalidConfiguration("blocking keep-alive must not be negative")
        }
    }
}

public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case startFailed(String)
    case shutDown
    case blockOnFromWorker

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid runtime configuration: \(m)"
        case .startFailed(let m): return "runtime failed to start: \(m)"
        case .shutDown: return "the runtime has shut down"
        case .blockOnFromWorker: return "blockOn called from a runtime worker would deadlock; await instead"
        }
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (s, atto) = components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, atto)) / 1_000_000_000
    }
}
