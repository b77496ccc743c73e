// `runviz launch`: a live session (the runtime, the echo server, built-in synthetic clients, the
// demos) under the dashboard. The frame loop runs on the main thread, which is not a runtime
// worker, so a blocked worker never freezes the screen. Stderr goes to a log file while curses owns
// the terminal; the terminal is restored on `q`, Ctrl-C, SIGTERM and errors.

import ArgumentParser
import CRunvizLinux
import RunvizObservation
import RunvizRuntime
import RunvizSession
import RunvizTUI

struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Run the runtime, the echo server and synthetic clients under a live dashboard.")

    @OptionGroup var options: RuntimeOptions

    @Option(name: .long, help: "Built-in synthetic echo clients to start with (0 allowed).")
    var clients: Int = 20

    @OptionGroup var dashboard: DashboardOptions

    @Option(name: .long, help: "Seconds of the past kept for the rewind keys ([ ] { } Home End).")
    var history: Double = 60

    @Option(name: .customLong("history-mb"), help: "Most memory the history may hold, in MiB (oldest dropped first).")
    var historyMB: Int = 64

    @Option(
        name: .long, help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics.", valueName: "host:port")
    )
    var metrics: String?

    func validate() throws {
        _ = try sessionConfiguration()
    }

    func sessionConfiguration() throws -> SessionConfiguration {
        let (bytes, overflow) = historyMB.multipliedReportingOverflow(by: 1 << 20)
        return try options.session(
            syntheticClients: clients,
            history: ObservationHistory.Limits(seconds: history, bytes: overflow ? .max : bytes))
    }

    func run() throws {
        try dashboard.checkTerminal()
        runviz_install_stop_signals()
        let session = try Session.start(sessionConfiguration())
        defer { session.stop() }
        let recording = try SessionRecording.start(session, to: options.record)
        let metricsEndpoint = try SessionMetrics.start(session, at: metrics)
        defer { metricsEndpoint?.stop(session) }
        try dashboard.draw(session, clock: { Runtime.now }, log: "launch")
        try recording?.finish(session)
    }
}
