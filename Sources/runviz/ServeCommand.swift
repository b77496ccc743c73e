// `runviz serve`: the runtime and the echo server with no dashboard. Prints one stats line per
// second, or with --json one DashboardSnapshot per line (the data the dashboard draws), for
// scripts, CI and benchmarks. SIGINT/SIGTERM stop it cleanly (exit 0).

import ArgumentParser
import CRunvizLinux
import Foundation
import RunvizEcho
import RunvizRuntime
import RunvizTelemetry

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

    func validate() throws {
        guard interval >= 0.05 && interval <= 3600 else { throw ValidationError("--interval must be 0.05…3600 s") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        runviz_install_stop_signals()
        let (runtime, server) = try options.startServer()
        defer { runtime.shutdown() }
        let monitor = EchoMonitor(server: server)
        monitor.start(interval: .milliseconds(Int(interval * 1000)))
        var aggregator = options.aggregator(for: runtime)
        let merger = EventMerger(hub: runtime.telemetry)
        var probe = ProcessProbe()
        FileHandle.standardError.write(
            "runviz serve: echo on \(server.address) (\(options.mode.rawValue) mode, \(runtime.configuration.workers) workers)\n"
                .data(using: .utf8)!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let started = Runtime.now
        var nextLine = started + UInt64(interval * 1e9)
        while runviz_stop_signal() == 0 {
            usleep(50_000)
            let t0 = runviz_thread_cpu_ns()
            let now = Runtime.now
            aggregator.apply(merger.drain())
            let counters = runtime.telemetry.readCounters()
            aggregator.advance(now: now, counters: counters)
            aggregator.accountWork(nanos: runviz_thread_cpu_ns() &- t0)
            if let duration, Double(now - started) / 1e9 >= duration { break }
            guard now >= nextLine else { continue }
            nextLine += UInt64(interval * 1e9)
            let echo = monitor.snapshot
            let process = probe.sample()
            if json {
                let published = aggregator.publish(now: now, counters: counters, names: runtime.telemetry.names.all())
                let frame = DashboardSnapshot(
                    runtime: published.snapshot, echo: echo, process: process, lints: published.lints)
                if let data = try? encoder.encode(frame), let line = String(data: data, encoding: .utf8) {
                    print(line)
                }
            } else {
                let tasks = counters.liveTasks
                let workers = aggregator.workers(now: now, counters: counters, names: runtime.telemetry.names.all())
                print(
                    Self.statsLine(
                        workers, echo, process, tasks: tasks, fds: runtime.registeredFDs,
                        dropped: runtime.telemetry.dropped))
            }
            fflush(nil)
        }
        server.stop()
        monitor.stop()
    }

    /// The stats line: built from counters and worker states only, so printing it costs no per-task work.
    static func statsLine(
        _ workers: [WorkerSnapshot], _ e: EchoSnapshot, _ p: ProcessSnapshot, tasks: Int, fds: Int, dropped: UInt64
    ) -> String {
        let busy = workers.map { "\(Int(($0.busyRatio * 100).rounded()))%" }.joined(separator: " ")
        return "conns \(e.openConnections) (tasks \(e.taskConnections), threads \(e.threadConnections))"
            + " | rt/s \(Int(e.roundTripsPerSecond)) | \(Int(e.bytesPerSecond / 1024)) KiB/s"
            + " | p50 \(Int(e.p50Micros)) µs p99 \(Int(e.p99Micros)) µs"
            + " | tasks \(tasks) | fds \(fds) | workers busy \(busy)"
            + " | rss \(p.residentBytes / 1_048_576) MiB | dropped \(dropped)"
    }
}
