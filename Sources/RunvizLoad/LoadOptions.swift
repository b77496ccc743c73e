// LoadOptions: everything a load run needs to know, as plain values. `validate()` is the one place that
// checks ranges, so the CLI and the dashboard reject the same inputs with the same one-line messages.
//
// Invariants after validate(): 1 ≤ clients ≤ 10,000; 1 ≤ size ≤ 16 MiB; rate is nil or > 0; the run is
// bounded in time (`timeLimit` is finite and ≤ 1 h) whether it is measured by duration or by count.

import Glibc

/// The parameters of one load run.
public struct LoadOptions: Sendable, Equatable {
    /// Host name or IP literal of the echo server. Loopback unless the user names another host.
    public var host: String
    /// TCP port of the echo server.
    public var port: Int
    /// Concurrent clients, one connection each (1…10,000).
    public var clients: Int
    /// Bytes per message (1 … 16 MiB). `oversize` always uses 16 MiB.
    public var size: Int
    /// Messages per second per client; nil means as fast as the echoes come back.
    public var rate: Double?
    /// Seconds of load. With `count` it is only a time limit (60 s when nil).
    public var duration: Double?
    /// Round trips per client; the run ends when every client has done them (or failed).
    public var count: Int?
    /// Seconds over which the clients connect, evenly spread; 0 connects them all at once.
    public var ramp: Double
    /// What each client does.
    public var scenario: LoadScenario
    /// Load threads, each with its own epoll loop; nil picks one per two cores (at least one).
    public var threads: Int?
    /// Seconds a connect or an outstanding echo may make no progress before it counts as a timeout.
    public var timeout: Double

    public static let maxClients = 10_000
    public static let maxSize = 16 << 20
    public static let maxThreads = 64
    public static let maxSeconds = 3_600.0
    public static let defaultPort = 7878
    public static let defaultDuration = 10.0
    public static let defaultCountTimeLimit = 60.0

    public init(
        host: String = "127.0.0.1", port: Int = LoadOptions.defaultPort, clients: Int = 100, size: Int = 64,
        rate: Double? = nil, duration: Double? = nil, count: Int? = nil, ramp: Double = 0,
        scenario: LoadScenario = .steady, threads: Int? = nil, timeout: Double = 10
    ) {
        self.host = host
        self.port = port
        self.clients = clients
        self.size = size
        self.rate = rate
        self.duration = duration
        self.count = count
        self.ramp = ramp
        self.scenario = scenario
        self.threads = threads
        self.timeout = timeout
    }

    /// Throws `LoadError.invalidOption` naming the first option out of range.
    public func validate() throws(LoadError) {
        func bad(_ name: String, _ problem: String) -> LoadError { .invalidOption(name: name, problem: problem) }
        if host.isEmpty { throw bad("host", "must not be empty") }
        if !(1...65_535).contains(port) { throw bad("port", "must be between 1 and 65535 (got \(port))") }
        if !(1...LoadOptions.maxClients).contains(clients) {
            throw bad("clients", "must be between 1 and \(LoadOptions.maxClients) (got \(clients))")
        }
        if !(1...LoadOptions.maxSize).contains(size) {
            throw bad("size", "must be between 1 and \(LoadOptions.maxSize) bytes (got \(size))")
        }
        if let rate, !(rate > 0 && rate <= 1_000_000) {
            throw bad("rate", "must be a positive number of messages per second per client (got \(rate))")
        }
        if let duration, !(duration > 0 && duration <= LoadOptions.maxSeconds) {
            throw bad("duration", "must be between 0 and \(Int(LoadOptions.maxSeconds)) seconds (got \(duration))")
        }
        if let count, count < 1 { throw bad("count", "must be at least 1 round trip per client (got \(count))") }
        if !(ramp >= 0 && ramp <= LoadOptions.maxSeconds) {
            throw bad("ramp", "must be between 0 and \(Int(LoadOptions.maxSeconds)) seconds (got \(ramp))")
        }
        if ramp >= timeLimit { throw bad("ramp", "(\(ramp) s) must be shorter than the run (\(timeLimit) s)") }
        if let threads, !(1...LoadOptions.maxThreads).contains(threads) {
            throw bad("threads", "must be between 1 and \(LoadOptions.maxThreads) (got \(threads))")
        }
        if !(timeout > 0 && timeout <= LoadOptions.maxSeconds) {
            throw bad("timeout", "must be between 0 and \(Int(LoadOptions.maxSeconds)) seconds (got \(timeout))")
        }
    }

    /// The wall-clock bound of the run in seconds.
    public var timeLimit: Double {
        duration ?? (effectiveCount == nil ? LoadOptions.defaultDuration : LoadOptions.defaultCountTimeLimit)
    }

    /// Round trips per client: `count`, or 1 for `oversize` when no count is given.
    public var effectiveCount: Int? {
        count ?? (scenario == .oversize ? 1 : nil)
    }

    /// Bytes per message actually sent.
    public var messageSize: Int {
        scenario == .oversize ? LoadScenario.oversizeBytes : size
    }

    /// Load threads actually started: never more than clients.
    public var threadCount: Int {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return min(threads ?? max(1, cores / 2), clients)
    }

    /// Splits "host:port", "[v6]:port" or a bare port ("7878", host 127.0.0.1).
    public static func parseAddress(_ text: String) throws(LoadError) -> (host: String, port: Int) {
        let bad = LoadError.invalidOption(name: "connect", problem: "must be host:port (got \"\(text)\")")
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw bad }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw bad }
        }
        guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else { throw bad }
        return (host, port)
    }
}
