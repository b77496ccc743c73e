// What a live session is made of, as one value the commands fill in from their flags: how to
// build the runtime, where the echo server listens and how it serves, and how many built-in
// clients start with it. `validate` is the one check; the
// runtime's own checks are part of it, not repeated.

import RunvizEcho
import RunvizLoad
import RunvizObservation
import RunvizRuntime

public struct SessionConfiguration: Sendable, Equatable {
    public var runtime: RuntimeConfiguration
    public var address: SocketAddress
    public var mode: ServerMode
    /// Built-in synthetic echo clients started with the session (0: none yet, `c` adds them; nil: no
    /// client thread at all, as `serve` runs).
    public var syntheticClients: Int?
    /// How much of the past the session keeps for rewinding (nil: none, as `serve` runs).
    public var history: ObservationHistory.Limits?
    /// Whether the session's runtime is the process's global executor (`launch` and `serve`: the
    /// process is the session's); once per process. Its tasks then carry no executor preference.
    public var globalExecutor: Bool

    public init(
        runtime: RuntimeConfiguration = RuntimeConfiguration(),
        address: SocketAddress = SocketAddress(host: "127.0.0.1", port: 7878), mode: ServerMode = .tasks,
        syntheticClients: Int? = nil, history: ObservationHistory.Limits? = nil, globalExecutor: Bool = false
    ) {
        self.runtime = runtime
        self.address = address
        self.mode = mode
        self.syntheticClients = syntheticClients
        self.history = history
        self.globalExecutor = globalExecutor
    }

    /// A setting `validate` can reject: one of the runtime's, or the session's own.
    public enum Setting: Sendable, Equatable {
        case runtime(RuntimeConfiguration.Setting)
        case syntheticClients
        case historySeconds
        case historyBytes

        /// How the session's own messages name it.
        public var words: String {
            switch self {
            case .runtime(let setting): return setting.words
            case .syntheticClients: return "synthetic clients"
            case .historySeconds: return "history length"
            case .historyBytes: return "history memory"
            }
        }
    }

    public func validate() throws(SessionError) {
        do { try runtime.validate() } catch {
            guard case .invalidSetting(let setting, let problem) = error else {
                throw .runtimeFailed(error.description)
            }
            throw .invalidSetting(.runtime(setting), problem)
        }
        if let clients = syntheticClients, !(0...SyntheticClients.maxClients).contains(clients) {
            throw .invalidSetting(
                .syntheticClients, "must be between 0 and \(SyntheticClients.maxClients) (got \(clients))")
        }
        if let history {
            guard history.seconds > 0, history.seconds <= 3600 else {
                throw .invalidSetting(
                    .historySeconds, "must be more than 0 and at most 3600 s (got \(history.seconds) s)")
            }
            guard history.bytes >= 1 << 20, history.bytes <= 16 << 30 else {
                throw .invalidSetting(
                    .historyBytes, "must be between 1 and 16384 MiB (got \(history.bytes >> 20) MiB)")
            }
        }
    }
}
