// `runviz run -- PROGRAM ARGS…`: an unmodified, dynamically linked Swift program started with runviz
// injected, under the dashboard. The program is started with librunvizinject.so (found next to the
// runviz binary) in LD_PRELOAD; the library's constructor installs runviz as the global executor
// and serves telemetry on a Unix socket (0600) in a private directory (0700) made here, and this
// command attaches to it as `runviz attach` does.
//
// Invariants: a program runviz cannot watch (not found, not executable, not Swift, built with
// `--static-swift-stdlib`, on another Swift runtime: ProgramImage) is refused with one line and is
// never started; nor is any program when there is no terminal to draw on. The program gets stdin
// from /dev/null and its stdout and stderr in a log file whose name is printed when the session
// ends; it runs in its own process group, so the terminal's Ctrl-C reaches runviz alone. The
// program's exit ends the session with its exit status (128+N for a signal N). `q` (or Ctrl-C) asks
// whether to stop the program: yes sends it SIGTERM (SIGKILL 5 s later) and the session ends with
// its status; no goes back to the dashboard. SIGTERM to runviz stops the program the same way, and
// should runviz be killed outright the program gets SIGTERM (the library's parent-death signal).
// The private directory is removed however the session ends (but for a kill -9 of runviz).

import ArgumentParser
import CRunvizLinux
import FoundationEssentials
import Glibc
import RunvizObservation
import RunvizTUI
import RunvizWire

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start an unmodified Swift program with runviz injected, under the dashboard.",
        discussion: """
            The program must be a dynamically linked Swift program built with the toolchain runviz was built \
            with. Its output goes to a log file, named when it exits; the session ends with its exit status.
            """)

    @OptionGroup var dashboard: DashboardOptions

    @Option(name: .long, help: "Seconds of the past kept for the rewind keys.")
    var history: Double = 60

    @Option(name: .customLong("history-mb"), help: "Most memory the history may hold, in MiB.")
    var historyMB: Int = 64

    @Option(name: .customLong("timeout-ms"), help: "How long the program may take to open its telemetry socket.")
    var timeoutMs: Int = 10_000

    @Argument(
        parsing: .postTerminator, help: ArgumentHelp("The program and its arguments, after --.", valueName: "program"))
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else {
            throw ValidationError("name the program to run after --: runviz run -- PROGRAM ARGS…")
        }
        guard history > 0, history <= 3600 else { throw ValidationError("--history must be 0…3600 s (got \(history))") }
        guard (1...16384).contains(historyMB) else {
            throw ValidationError("--history-mb must be between 1 and 16384 (got \(historyMB))")
        }
        guard (1...600_000).contains(timeoutMs) else {
            throw ValidationError("--timeout-ms must be between 1 and 600000 (got \(timeoutMs))")
        }
    }

    /// librunvizinject.so beside this runviz binary.
    static func injectedLibrary() throws -> String {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let library = binary.deletingLastPathComponent().appendingPathComponent("librunvizinject.so").path
        guard FileManager.default.fileExists(atPath: library) else {
            throw Failure(
                "\(library) is missing: build it beside runviz (swift build -c release --product runvizinject)")
        }
        return library
    }

    func run() throws {
        let program: String
        let swiftCore: String
        do {
            program = try ProgramImage.locate(command[0])
            guard let own = ProgramImage.ownSwiftCore() else {
                throw Failure("cannot find runviz's own libswiftCore.so")
            }
            swiftCore = try ProgramImage(reading: program).verdict(swiftCore: own)
        } catch let refusal as ProgramImage.Refusal { throw Failure(refusal.description) }
        if CursesTerminal.checkTerminal() != nil {
            throw Failure("runviz run needs a terminal to draw the dashboard on; \(command[0]) was not started")
        }
        let library = try Self.injectedLibrary()

        let child = try WatchedProgram(
            program: program, arguments: Array(command.dropFirst()), library: library, swiftCore: swiftCore)
        defer { child.removePrivateDirectory() }
        runviz_install_stop_signals()
        let source: AttachSource
        do {
            source = try child.attach(
                timeoutMillis: timeoutMs, history: ObservationHistory.Limits(seconds: history, bytes: historyMB << 20))
        } catch let failure as Failure {
            child.stop()
            throw failure
        }
        while true {
            try dashboard.draw(
                source, clock: { runviz_now_ns() }, log: "run", until: { runviz_stop_signal() != 0 || child.exited })
            if child.exited { break }
            if runviz_stop_signal() != 0 || Self.confirmStop(child) {
                child.stop()
                break
            }
        }
        throw ExitCode(child.report())
    }

    /// Asks on the terminal whether to stop the still running program (yes: y or Y).
    static func confirmStop(_ child: WatchedProgram) -> Bool {
        StandardError.write("runviz: \(child.name) is still running (pid \(child.pid)). Stop it? [y/N] ")
        let answer = readLine() ?? "y"
        return answer.lowercased().hasPrefix("y") || child.exited
    }
}

/// The program `runviz run` started, with runviz preloaded: its pid, its log, its private socket.
final class WatchedProgram {
    let pid: pid_t
    let name: String
    let log: String
    let directory: String
    var socket: String { directory + "/telemetry.sock" }
    private var waitStatus: Int32?

    init(program: String, arguments: [String], library: String, swiftCore: String) throws {
        name = URL(fileURLWithPath: program).lastPathComponent
        let temporary = FileManager.default.temporaryDirectory.path()  // what NSTemporaryDirectory() returns
        var template = Array("\(temporary)/runviz-run.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure("cannot make a private directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)  // mkdtemp: mode 0700
        log = "\(temporary)/runviz-run-\(name).\(getpid()).log".replacing("//", with: "/")
        let logFD = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard logFD >= 0 else {
            rmdir(directory)
            throw Failure("cannot open \(log): \(String(cString: strerror(errno)))")
        }
        defer { close(logFD) }

        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = [library, environment["LD_PRELOAD"]].compactMap { $0 }.joined(separator: ":")
        environment["RUNVIZ_RUN_SOCKET"] = directory + "/telemetry.sock"
        environment["RUNVIZ_RUN_SWIFTCORE"] = swiftCore
        environment["RUNVIZ_RUN_PARENT"] = String(getpid())

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child = pid_t()
        let spawned = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            unlink(log)
            rmdir(directory)
            throw Failure("cannot start \(program): \(String(cString: strerror(spawned)))")
        }
        pid = child
    }

    /// Whether the program has exited (reaped here, once).
    var exited: Bool {
        if waitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
        return waitStatus != nil
    }

    /// Waits for the program's socket, then attaches to it as `runviz attach` does.
    func attach(timeoutMillis: Int, history: ObservationHistory.Limits) throws -> AttachSource {
        let deadline = runviz_now_ns() + UInt64(timeoutMillis) * 1_000_000
        while !FileManager.default.fileExists(atPath: socket) {
            if exited { throw Failure(endedEarly()) }
            guard runviz_now_ns() < deadline else {
                throw Failure("\(name) opened no telemetry socket within \(timeoutMillis) ms; its output: \(log)")
            }
            usleep(10_000)
        }
        do {
            return try AttachSource.attach(to: .unix(path: socket), timeoutMillis: 3000, history: history)
        } catch { throw Failure("cannot attach to \(name): \(error)") }
    }

    /// What to say when the program ended before its dashboard opened: the injected library's own
    /// line when it refused (exit 125), else the exit and the log.
    private func endedEarly() -> String {
        let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n") ?? []
        if status == 125, let refusal = lines.last(where: { $0.hasPrefix("runviz: ") }) {
            return String(refusal.dropFirst("runviz: ".count))
        }
        return "\(name) ended before its dashboard opened (\(ending)); its output: \(log)"
    }

    /// SIGTERM, then SIGKILL after 5 s; waits for the program to exit.
    func stop() {
        guard !exited else { return }
        kill(pid, SIGTERM)
        let deadline = runviz_now_ns() + 5_000_000_000
        while !exited && runviz_now_ns() < deadline { usleep(10_000) }
        if !exited { kill(pid, SIGKILL) }
        var status: Int32 = 0
        if waitStatus == nil, waitpid(pid, &status, 0) == pid { waitStatus = status }
    }

    /// The exit status a shell would give (128+N for signal N).
    var status: Int32 {
        guard let raw = waitStatus else { return 1 }
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }

    private var ending: String {
        guard let raw = waitStatus else { return "still running" }
        return raw & 0x7F == 0 ? "exit status \(status)" : "killed by signal \(raw & 0x7F)"
    }

    /// Prints how the program ended and where its output is; returns its exit status.
    func report() -> Int32 {
        StandardError.write("runviz: \(name) ended (\(ending)); its output: \(log)\n")
        return status
    }

    func removePrivateDirectory() {
        unlink(socket)
        rmdir(directory)
    }
}
