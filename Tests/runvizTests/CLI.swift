// Helpers for CLI tests: find the built `runviz` binary (beside this test bundle, else under the
// repository's build folders), run it as a subprocess with pipes and a deadline (killed if it
// overstays, so a hang fails a test instead of stalling the run), and small socket helpers: a free
// port, a listening socket that occupies a port, a blocking echo client.

import Foundation
import Glibc
import RunvizLock
import RunvizTestSupport
import Synchronization
import Testing

enum CLI {
    /// The `runviz` executable, or nil when it has not been built.
    static let binary: String? = locate()

    static let notBuilt =
        "runviz binary not found beside the test bundle or under .build*/debug; build it with "
        + "`swift build --scratch-path .build-tests2 --product runviz`"

    private static func locate() -> String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(
                URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("runviz").path)
        }
        // Tests/runvizTests/CLI.swift → the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var builds = [".build-tests2", ".build"]
        if let all = try? FileManager.default.contentsOfDirectory(atPath: root.path) {
            builds += all.filter { $0.hasPrefix(".build") && !builds.contains($0) }.sorted()
        }
        candidates += builds.map { root.appendingPathComponent("\($0)/debug/runviz").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// What a finished run of `runviz` printed and returned.
struct Finished {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

struct TimedOut: Error, CustomStringConvertible {
    let description: String
}

/// One `runviz` process with its stdout and stderr collected as they arrive. Killed on deinit if
/// still running (a failing test never leaves a server behind).
final class Runviz: @unchecked Sendable {
    let process = Process()
    private let out = Sink()
    private let err = Sink()

    /// Bytes a pipe delivered so far, filled by a reader thread that ends at EOF.
    private final class Sink: Sendable {
        let data = Lock(Data())
        let closed = Atomic<Bool>(false)
        var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }

        func collect(_ handle: FileHandle) {
            Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.withLock { $0.append(chunk) }
                }
                closed.store(true, ordering: .releasing)
            }.start()
        }
    }

    /// Starts `runviz arguments…`. A child inherits its parent thread's signal mask, and the threads
    /// Swift Testing runs tests on block SIGINT and SIGTERM; so the process is started from a thread
    /// with both unblocked, as a shell would start it (`stopSignalsBlocked`: with both blocked).
    init(_ arguments: [String], stopSignalsBlocked: Bool = false) throws {
        guard let binary = CLI.binary else { throw TimedOut(description: CLI.notBuilt) }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let outcome = Lock<Result<Void, any Error>?>(nil)
        Thread { [self] in
            var stops = sigset_t()
            sigemptyset(&stops)
            sigaddset(&stops, SIGINT)
            sigaddset(&stops, SIGTERM)
            pthread_sigmask(stopSignalsBlocked ? SIG_BLOCK : SIG_UNBLOCK, &stops, nil)
            let r = Result { try process.run() }
            outcome.withLock { $0 = r }
        }.start()
        while outcome.withLock({ $0 == nil }) { usleep(1_000) }
        try outcome.withLock { $0! }.get()
        out.collect(stdout.fileHandleForReading)
        err.collect(stderr.fileHandleForReading)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var stdout: String { out.text }
    var stderr: String { err.text }

    /// Waits up to `seconds` for stderr to contain `text`.
    func waitForStderr(containing text: String, seconds: Double = 10) -> Bool {
        eventually(seconds) { stderr.contains(text) || !process.isRunning } && stderr.contains(text)
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits up to `seconds` for the process to exit (then kills it and throws).
    func finish(within seconds: Double) throws -> Finished {
        let waitStart = Date()
        guard eventually(seconds, { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TimedOut(
                description: "runviz \(process.arguments ?? []) ran longer than \(seconds) s; stderr: \(stderr)")
        }
        process.waitUntilExit()
        _ = eventually(5) { out.closed.load(ordering: .acquiring) && err.closed.load(ordering: .acquiring) }
        return Finished(
            status: process.terminationStatus, stdout: stdout, stderr: stderr,
            seconds: Date().timeIntervalSince(waitStart))
    }
}

/// Runs `runviz arguments…` to completion (at most `seconds`).
func runviz(_ arguments: String..., within seconds: Double = 10) throws -> Finished {
    try Runviz(arguments).finish(within: seconds)
}

// MARK: sockets

/// A loopback port that was free a moment ago (bound to port 0, then closed).
func freePort() throws -> UInt16 {
    let listener = try Listener()
    defer { listener.close() }
    return listener.port
}

/// A socket listening on 127.0.0.1 (port 0: any free port), occupying its port while open.
final class Listener {
    let fd: Int32
    let port: UInt16

    init(port: UInt16 = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TimedOut(description: "cannot listen: \(message)")
        }
        var len = size
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: addr.sin_port)
    }

    func close() { Glibc.close(fd) }
}

/// A bad command line: exit 64, exactly `message` as the first stderr line, no second error, no stdout.
func expectUsageError(
    _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let r = try Runviz(arguments).finish(within: 5)
    #expect(r.status == 64, sourceLocation: sourceLocation)
    #expect(r.stderrLines.first == message, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(
        r.stderrLines.dropFirst().allSatisfy { !$0.hasPrefix("Error") }, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
}

/// Connects to 127.0.0.1:`port`, sends `message` and reads its echo (5 s timeouts); nil on failure.
func echo(_ message: [UInt8], port: UInt16) -> [UInt8]? {
    guard let fd = connectLoopback(port: port, configure: { setTimeouts($0) }) else { return nil }
    defer { close(fd) }
    guard message.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == message.count else {
        return nil
    }
    var reply = [UInt8](repeating: 0, count: message.count)
    var got = 0
    while got < message.count {
        let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, message.count - got, 0) }
        if n <= 0 { return nil }
        got += n
    }
    return reply
}

/// The port in serve's "echo on 127.0.0.1:PORT" line.
func servedPort(_ stderr: String) -> UInt16? {
    guard let range = stderr.range(of: "echo on 127.0.0.1:") else { return nil }
    return UInt16(stderr[range.upperBound...].prefix { $0.isNumber })
}
