// Flags shared by `launch` and `serve`: how to build the runtime and where the echo server listens.
// They only fill in a SessionConfiguration; its `validate` is the one check of their values.

import ArgumentParser
import RunvizEcho
import RunvizObservation
import RunvizRuntime
import RunvizSession

struct RuntimeOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var workers: Int?

    @Option(name: .long, help: "Address to listen on (loopback unless you name another).")
    var host: String = "127.0.0.1"

    @Option(name: .shortAndLong, help: "TCP port of the echo server (0: any free port).")
    var port: Int = 7878

    @Option(name: .long, help: "How new connections are served: tasks (one task each) or threads (one OS thread each).")
    var mode: ServerMode = .tasks

    @Option(name: .long, help: "A job running longer than this many milliseconds marks its worker BLOCKED.")
    var blockedMs: Int = 10

    @Flag(name: .long, help: "Start with event recording off (counters stay on).")
    var noInstrumentation = false

    @Option(name: .long, help: "Write what runviz observes to this file, for `runviz replay` and `runviz export`.")
    var record: String?

    func validate() throws {
        _ = try session()
    }

    /// The session these flags describe; a bad value is a one-line ValidationError naming its flag.
    func session(syntheticClients: Int? = nil, history: ObservationHistory.Limits? = nil) throws
        -> SessionConfiguration
    {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (got \(port))")
        }
        let address: SocketAddress
        do { address = try SocketAddress(parsing: "\(host):\(port)") } catch {
            throw ValidationError("--host: \(error)")
        }
        let configuration = SessionConfiguration(
            runtime: RuntimeConfiguration(
                workers: workers, blockedThreshold: .milliseconds(blockedMs), instrumentation: !noInstrumentation),
            address: address, mode: mode, syntheticClients: syntheticClients, history: history, globalExecutor: true)
        do { try configuration.validate() } catch {
            guard case .invalidSetting(let setting, let problem) = error, let flag = Self.flag(for: setting) else {
                throw ValidationError(error.description)
            }
            throw ValidationError("\(flag) \(problem)")
        }
        return configuration
    }

    /// The flag that sets `setting`, if one does.
    static func flag(for setting: SessionConfiguration.Setting) -> String? {
        switch setting {
        case .runtime(.workers): return "--workers"
        case .runtime(.blockedThreshold): return "--blocked-ms"
        case .syntheticClients: return "--clients"
        case .historySeconds: return "--history"
        case .historyBytes: return "--history-mb"
        case .runtime: return nil
        }
    }
}

extension ServerMode: ExpressibleByArgument {}

/// A one-line error for the user, then a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
