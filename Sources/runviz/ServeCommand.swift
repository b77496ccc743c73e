// `runviz serve`: the runtime and the echo server with no dashboard. Prints one stats line per
// second, or with --json one DashboardSnapshot per line (the data the dashboard draws), for
// scripts, CI and benchmarks. SIGINT/SIGTERM stop it cleanly (exit 0).
//
// With --telemetry ADDRESS the session's observations also stream to viewers (`runviz attach`),
// and the commands they send are applied here, on this loop's thread (the session's only one),
// once per turn; one turn a second is then a frame turn, so viewers also see the process and what
// the last demo did (a frame turn also publishes here, a cost per task: not more often).

import ArgumentParser
import CRunvizLinux
import FoundationEssentials
import Glibc
import RunvizRuntime
import RunvizSession
import RunvizWire

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the echo server on the runviz runtime without the dashboard.")

    @OptionGroup var options: RuntimeOptions

    @Flag(name: .long, help: "Print one JSON snapshot per line instead of a stats line.")
    var json = false

    @Option(name: .long, help: "Seconds between lines.")
    var interval: Double = 1

    @Option(name: .long, help: "Stop after this many seconds (default: run until Ctrl-C).")
    var duration: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Stream telemetry for `runviz attach` at HOST:PORT, PORT (loopback) or a Unix socket path "
                + "(\(TelemetryAddress.standard) is where attach looks by default).", valueName: "address"))
    var telemetry: String?

    @Option(
        name: .long, help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics.", valueName: "host:port")
    )
    var metrics: String?

    func validate() throws {
        guard interval >= 0.05 && interval <= 3600 else { throw ValidationError("--interval must be 0.05…3600 s") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        _ = try telemetryAddress()
    }

    func telemetryAddress() throws -> TelemetryAddress? {
        guard let telemetry else { return nil }
        do { return try TelemetryAddress(parsing: telemetry) } catch { throw ValidationError("--telemetry: \(error)") }
    }

    func run() throws {
        runviz_install_stop_signals()
        let session = try Session.start(options.session())
        defer { session.stop() }
        let recording = try SessionRecording.start(session, to: options.record)
        let metricsEndpoint = try SessionMetrics.start(session, at: metrics)
        defer { metricsEndpoint?.stop(session) }
        StandardError.write(
            "runviz serve: echo on \(session.server.address) (\(options.mode.rawValue) mode, \(session.configuration.runtime.workers) workers)\n"
        )
        let endpoint = try telemetryAddress().map { address throws in
            do {
                let endpoint = try TelemetryEndpoint(
                    address: address, setup: session.observer.setup, acceptsCommands: true,
                    target: "runviz serve (pid \(getpid()))")
                session.sinks.append(endpoint)
                return endpoint
            } catch { throw Failure("\(error)") }
        }
        defer { endpoint?.stop() }
        if let endpoint {
            StandardError.write("runviz serve: telemetry on \(endpoint.address) (runviz attach \(endpoint.address))\n")
        }
        var turn = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let started = Runtime.now
        var nextLine = started + UInt64(interval * 1e9)
        while runviz_stop_signal() == 0 {
            usleep(50_000)
            let now = Runtime.now
            if let endpoint {
                for command in endpoint.takeCommands() { session.apply(command) }
                turn += 1
                if turn % 20 == 0 { _ = session.frame(now: now) } else { session.update(now: now) }
            } else {
                session.update(now: now)
            }
            if let duration, Double(now - started) / 1e9 >= duration { break }
            guard now >= nextLine else { continue }
            nextLine += UInt64(interval * 1e9)
            if json {
                if let data = try? encoder.encode(session.frame(now: now)),
                    let line = String(data: data, encoding: .utf8)
                {
                    print(line)
                }
            } else {
                print(Self.statsLine(session.summary(now: now)))
            }
            fflush(nil)
        }
        if let endpoint {
            endpoint.stop()
            let t = endpoint.status
            StandardError.write(
                "runviz serve: telemetry: \(t.observations) observations, \(t.viewersAccepted) viewers, "
                    + "\(t.sentBytes >> 10) KiB sent, \(t.cutOff) cut off (\(t.droppedBytes >> 10) KiB, "
                    + "\(t.droppedObservations) observations not delivered)\n")
        }
        try recording?.finish(session)
    }

    /// The stats line: built from counters and worker states only, so printing it costs no per-task work.
    static func statsLine(_ s: SessionSummary) -> String {
        let (e, p) = (s.echo, s.process)
        let busy = s.workers.map { "\(Int(($0.busyRatio * 100).rounded()))%" }.joined(separator: " ")
        return "conns \(e.openConnections) (tasks \(e.taskConnections), threads \(e.threadConnections))"
            + " | rt/s \(Int(e.roundTripsPerSecond)) | \(Int(e.bytesPerSecond / 1024)) KiB/s"
            + " | reply p50 \(micros(s.replies.p50Nanos)) p99 \(micros(s.replies.p99Nanos))"
            + " | tasks \(s.liveTasks) | fds \(s.registeredFDs) | workers busy \(busy)"
            + " | rss \(p.residentBytes / 1_048_576) MiB | dropped \(s.droppedEvents)"
            + " | per conn task \(bytes(p.perTaskConnection?.residentBytes))"
            + ", thread \(bytes(p.perThreadConnection?.residentBytes))"
            + (p.perThreadConnection.map { " + \(Int($0.virtualBytes.rounded())) B virtual" } ?? "")
    }

    /// Whole bytes, "-" when not measured yet.
    private static func bytes(_ count: Double?) -> String { count.map { "\(Int($0.rounded())) B" } ?? "-" }

    /// Whole microseconds, "-" when there was nothing to measure.
    private static func micros(_ nanos: UInt64?) -> String { nanos.map { "\($0 / 1_000) µs" } ?? "-" }
}
