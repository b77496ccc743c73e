// `runviz launch`: the runtime, the echo server, built-in synthetic clients and the live dashboard.
//
// The frame loop runs on the main thread, which is not a runtime worker, so a blocked worker never
// freezes the screen: each turn it drains the runtime's events into the Aggregator, assembles a
// DashboardSnapshot (unless the view is paused), renders it to a Screen, draws the changed cells,
// then waits up to one frame for a key and applies what the key map returns. Stderr goes to a log
// file while curses owns the terminal; the terminal is restored on `q`, Ctrl-C, SIGTERM and errors.

import ArgumentParser
import CRunvizLinux
import Foundation
import RunvizDemos
import RunvizEcho
import RunvizLoad
import RunvizRuntime
import RunvizTUI
import RunvizTelemetry

struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Run the runtime, the echo server and synthetic clients under a live dashboard.")

    @OptionGroup var options: RuntimeOptions

    @Option(name: .long, help: "Built-in synthetic echo clients to start with (0 allowed).")
    var clients: Int = 20

    @Option(name: .long, help: "Frames per second.")
    var fps: Int = 10

    @Flag(name: .long, help: "No colours (state stays readable by glyph and word). NO_COLOR is honoured too.")
    var noColor = false

    @Flag(name: .long, help: "ASCII only: replace every Unicode glyph.")
    var ascii = false

    @Option(name: .long, help: "Folder of lesson files (default: the Assets/lessons that ship with runviz).")
    var lessons: String?

    func validate() throws {
        guard (0...10_000).contains(clients) else {
            throw ValidationError("--clients must be between 0 and 10000 (got \(clients))")
        }
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be between 1 and 60 (got \(fps))") }
    }

    func run() throws {
        if let problem = CursesTerminal.checkTerminal() {
            FileHandle.standardError.write((problem + "\n").data(using: .utf8)!)
            throw ExitCode(2)
        }
        runviz_install_stop_signals()
        let (runtime, server) = try options.startServer()
        defer { runtime.shutdown() }
        let monitor = EchoMonitor(server: server)
        monitor.start()
        let synthetic: SyntheticClients?
        do {
            synthetic = try SyntheticClients(
                host: server.address.host, port: Int(server.address.port), clients: clients)
        } catch {
            throw Failure("cannot start synthetic clients: \(error)")
        }
        defer { synthetic?.stop() }
        let demos = DemoRunner(runtime: runtime, server: server, clients: synthetic)
        let catalog = LessonLoader.load(from: lessons)
        let eventCost = Runtime.measureEventCost()

        let utf8 = CursesTerminal.localeIsUTF8()
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var view = ViewState(ascii: ascii || !utf8, color: color)
        var aggregator = options.aggregator(for: runtime)
        let merger = EventMerger(hub: runtime.telemetry)

        let log = StderrRedirect(to: "/tmp/runviz-launch.\(getpid()).log")
        defer { log.restore() }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal(color: color) } catch {
            log.restore()
            throw Failure("\(error)")
        }
        defer { terminal.restore() }

        var probe = ProcessProbe()
        var frame: DashboardSnapshot?
        let frameMillis = 1000 / fps
        loop: while runviz_stop_signal() == 0 {
            let t0 = runviz_thread_cpu_ns()
            let now = Runtime.now
            aggregator.apply(merger.drain())
            let counters = runtime.telemetry.readCounters()
            if frame == nil || !view.paused {
                let published = aggregator.publish(now: now, counters: counters, names: runtime.telemetry.names.all())
                let snap = published.snapshot
                let runs = snap.workers.reduce(0.0) { $0 + $1.runsPerSecond }
                frame = DashboardSnapshot(
                    runtime: snap, echo: monitor.snapshot, process: probe.sample(), demos: demos.snapshot,
                    lints: published.lints, timeline: published.timeline,
                    instrumentationCostNanos: runtime.instrumentation && runs > 0
                        ? snap.totals.eventsPerSecond * eventCost / runs : (runtime.instrumentation ? nil : 0),
                    syntheticClients: synthetic?.count ?? 0)
            } else {
                aggregator.advance(now: now, counters: counters)
            }
            let (w, h) = terminal.size
            terminal.draw(Dashboard.render(frame!, view, width: w, height: h))
            aggregator.accountWork(nanos: runviz_thread_cpu_ns() &- t0)
            guard let key = terminal.readKey(timeoutMillis: frameMillis) else { continue }
            for effect in view.handle(key, snapshot: frame!, lessons: catalog, width: w, height: h) {
                switch effect {
                case .command(.quit): break loop
                case .command(.follow(let task)): aggregator.follow(task)
                case .command(let c): demos.apply(c, lesson: LessonCatalog.lessonID(for: c))
                case .toggleInstrumentation: runtime.instrumentation.toggle()
                }
            }
        }
        terminal.restore()
        log.restore()
        monitor.stop()
        server.stop()
    }
}

/// Sends stderr to a file while curses draws, so stray messages cannot garble the screen.
final class StderrRedirect {
    private var saved: Int32 = -1
    let path: String

    init(to path: String) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        saved = dup(2)
        dup2(fd, 2)
        close(fd)
    }

    func restore() {
        guard saved >= 0 else { return }
        dup2(saved, 2)
        close(saved)
        saved = -1
        if let attrs = try? FileManager.default.attributesOfItem(atPath: path), (attrs[.size] as? Int ?? 0) == 0 {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
