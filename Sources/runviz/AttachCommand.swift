// `runviz attach [ADDRESS]`: the dashboard of a program running elsewhere — `runviz serve
// --telemetry`, or any program on the runviz runtime started with RUNVIZ_TELEMETRY — over its
// telemetry endpoint: panels, rewind, the worker timeline, task detail and step mode. The first
// connection is made before the terminal is touched, so a bad address, a refused connection or a
// peer that is no runviz endpoint is one line and a non-zero exit; after that a target that goes
// away is waited for (the last frame stays, the header says it is reconnecting).

import ArgumentParser
import CRunvizLinux
import RunvizObservation
import RunvizWire

struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Open the dashboard of a program that serves telemetry (serve --telemetry, RUNVIZ_TELEMETRY).")

    @Argument(
        help: ArgumentHelp(
            "HOST:PORT, PORT (loopback) or a Unix socket path (default: \(TelemetryAddress.standard)).",
            valueName: "address"))
    var address: String?

    @OptionGroup var dashboard: DashboardOptions

    @Option(name: .long, help: "Seconds of the past kept for the rewind keys.")
    var history: Double = 60

    @Option(name: .customLong("history-mb"), help: "Most memory the history may hold, in MiB.")
    var historyMB: Int = 64

    @Option(name: .customLong("timeout-ms"), help: "How long the first connection may take, in milliseconds.")
    var timeoutMs: Int = 3000

    func validate() throws {
        _ = try target()
        guard history > 0, history <= 3600 else { throw ValidationError("--history must be 0…3600 s (got \(history))") }
        guard (1...16384).contains(historyMB) else {
            throw ValidationError("--history-mb must be between 1 and 16384 (got \(historyMB))")
        }
        guard (1...600_000).contains(timeoutMs) else {
            throw ValidationError("--timeout-ms must be between 1 and 600000 (got \(timeoutMs))")
        }
    }

    func target() throws -> TelemetryAddress {
        guard let address else { return .standard }
        let parsed: TelemetryAddress
        do { parsed = try TelemetryAddress(parsing: address) } catch { throw ValidationError("address: \(error)") }
        if case .tcp(_, 0) = parsed {
            throw ValidationError("address: '\(address)' has port 0; name the port to attach to")
        }
        return parsed
    }

    func run() throws {
        let source: AttachSource
        do {
            source = try AttachSource.attach(
                to: try target(), timeoutMillis: timeoutMs,
                history: ObservationHistory.Limits(seconds: history, bytes: historyMB << 20))
        } catch let error as AttachError { throw Failure(error.description) }
        try dashboard.checkTerminal()
        runviz_install_stop_signals()
        try dashboard.draw(source, clock: { runviz_now_ns() }, log: "attach")
    }
}
