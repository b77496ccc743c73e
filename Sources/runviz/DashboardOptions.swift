// Flags and terminal handling shared by the commands that draw the dashboard (`launch`, `replay`):
// frames per second, colour, ASCII, lessons. A lesson folder that lacks a lesson is refused while the
// flags are parsed; `checkTerminal` fails before anything starts when there is no usable terminal;
// `draw` runs the frame loop over any frame source with stderr sent to a log file while curses owns
// the terminal, and the terminal restored however the loop ends.

import ArgumentParser
import CRunvizLinux
import FoundationEssentials
import Glibc
import RunvizObservation
import RunvizTUI

struct DashboardOptions: ParsableArguments {
    @Option(name: .long, help: "Frames per second.")
    var fps: Int = 10

    @Flag(name: .long, help: "No colours (state stays readable by glyph and word). NO_COLOR is honoured too.")
    var noColor = false

    @Flag(name: .long, help: "ASCII only: replace every Unicode glyph.")
    var ascii = false

    @Option(name: .long, help: "A folder of the 15 lesson files to show instead of the built-in ones.")
    var lessons: String?

    func validate() throws {
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be between 1 and 60 (got \(fps))") }
        do { _ = try LessonLoader.load(from: lessons) } catch { throw ValidationError(error.description) }
    }

    /// Exit 2 with the terminal's problem when there is no terminal to draw on (or it is too dumb).
    func checkTerminal() throws {
        if let problem = CursesTerminal.checkTerminal() {
            StandardError.write(problem + "\n")
            throw ExitCode(2)
        }
    }

    /// Draws `source` until `q`, Ctrl-C or `shouldStop` (by default: SIGTERM or SIGINT); the terminal
    /// is restored when this returns.
    func draw(
        _ source: any FrameSource, clock: @escaping () -> UInt64, log name: String,
        until shouldStop: () -> Bool = { runviz_stop_signal() != 0 }
    ) throws {
        let catalog = try LessonLoader.load(from: lessons)
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var view = ViewState(ascii: ascii || !CursesTerminal.localeIsUTF8(), color: color)
        let log = StderrRedirect(to: "/tmp/runviz-\(name).\(getpid()).log")
        defer { log.restore() }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal(color: color) } catch {
            log.restore()
            throw Failure("\(error)")
        }
        defer { terminal.restore() }
        DashboardLoop(source: source, terminal: terminal, lessons: catalog, fps: fps, clock: clock)
            .run(&view, until: shouldStop)
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
