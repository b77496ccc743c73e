// `runviz launch`: a live session (the runtime, the echo server, built-in synthetic clients, the
// demos) under the dashboard. The frame loop runs on the main thread, which is not a runtime
// worker, so a blocked worker never freezes the screen. Stderr goes to a log file while curses owns
// the terminal; the terminal is restored on `q`, Ctrl-C, SIGTERM and errors.

import ArgumentParser
import CRunvizLinux
import Foundation
import RunvizRuntime
import RunvizSession
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

    @Option(name: .long, help: "Seconds of the past kept for the rewind keys ([ ] { } Home End).")
    var history: Double = 60

    @Option(name: .customLong("history-mb"), help: "Most memory the history may hold, in MiB (oldest dropped first).")
    var historyMB: Int = 64

    @Flag(name: .long, help: "No colours (state stays readable by glyph and word). NO_COLOR is honoured too.")
    var noColor = false

    @Flag(name: .long, help: "ASCII only: replace every Unicode glyph.")
    var ascii = false

    @Option(name: .long, help: "Folder of lesson files (default: the Assets/lessons that ship with runviz).")
    var lessons: String?

    func validate() throws {
        _ = try sessionConfiguration()
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be between 1 and 60 (got \(fps))") }
    }

    func sessionConfiguration() throws -> SessionConfiguration {
        let (bytes, overflow) = historyMB.multipliedReportingOverflow(by: 1 << 20)
        return try options.session(
            syntheticClients: clients,
            history: ObservationHistory.Limits(seconds: history, bytes: overflow ? .max : bytes))
    }

    func run() throws {
        if let problem = CursesTerminal.checkTerminal() {
            FileHandle.standardError.write((problem + "\n").data(using: .utf8)!)
            throw ExitCode(2)
        }
        runviz_install_stop_signals()
        let session = try Session.start(sessionConfiguration())
        defer { session.stop() }
        let recording = try SessionRecording.start(session, to: options.record)
        let catalog = LessonLoader.load(from: lessons)
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var view = ViewState(ascii: ascii || !CursesTerminal.localeIsUTF8(), color: color)

        let log = StderrRedirect(to: "/tmp/runviz-launch.\(getpid()).log")
        defer { log.restore() }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal(color: color) } catch {
            log.restore()
            throw Failure("\(error)")
        }
        defer { terminal.restore() }
        DashboardLoop(source: session, terminal: terminal, lessons: catalog, fps: fps, clock: { Runtime.now })
            .run(&view, until: { runviz_stop_signal() != 0 })
        terminal.restore()
        log.restore()
        try recording?.finish(session)
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
