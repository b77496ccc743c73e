// Flags shared by `launch` and `serve`: how to build the runtime and where the echo server listens.

import ArgumentParser
import RunvizEcho
import RunvizRuntime
import RunvizTelemetry

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

    func validate() throws {
        if let workers, !(1...64).contains(workers) {
            throw ValidationError("--workers must be between 1 and 64 (got \(workers))")
        }
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (got \(port))")
        }
        guard (1...60_000).contains(blockedMs) else {
            throw ValidationError("--blocked-ms must be between 1 and 60000 (got \(blockedMs))")
        }
        do { _ = try address() } catch { throw ValidationError("--host: \(error)") }
    }

    func address() throws -> SocketAddress {
        let a = SocketAddress(host: host, port: UInt16(port))
        _ = try SocketAddress(parsing: a.description)
        return a
    }

    var configuration: RuntimeConfiguration {
        RuntimeConfiguration(
            workers: workers, blockedThreshold: .milliseconds(blockedMs), instrumentation: !noInstrumentation)
    }
}

extension RuntimeOptions {
    /// Builds the runtime and starts the echo server on it; errors become one-line failures.
    func startServer() throws -> (Runtime, EchoServer) {
        let address = try address()
        let runtime: Runtime
        do { runtime = try Runtime(configuration) } catch { throw Failure("\(error)") }
        do {
            let server = try EchoServer(runtime: runtime, address: address, mode: mode)
            server.start()
            return (runtime, server)
        } catch {
            runtime.shutdown()
            throw bindError(error, address)
        }
    }

    /// An aggregator for `runtime` with this command line's blocked threshold.
    func aggregator(for runtime: Runtime) -> Aggregator {
        let blocked = UInt64(blockedMs) * 1_000_000
        return Aggregator(
            configuration: ConfigurationSummary(
                workers: runtime.configuration.workers, maxBlockingThreads: runtime.configuration.maxBlockingThreads,
                blockedThresholdNanos: blocked, instrumentation: runtime.instrumentation),
            startedAt: runtime.startedAt, thresholds: Aggregator.Thresholds(blocked: blocked))
    }
}

extension ServerMode: ExpressibleByArgument {}

/// A one-line error for the user, then a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func bindError(_ error: Error, _ address: SocketAddress) -> Failure {
    if let e = error as? SystemError, e.errno == 98 {
        return Failure("port \(address.port) is in use on \(address.host); stop the other server or pass --port")
    }
    if let e = error as? SystemError, e.errno == 13 {
        return Failure("no permission to listen on port \(address.port); use a port above 1023")
    }
    return Failure("cannot listen on \(address): \(error)")
}
