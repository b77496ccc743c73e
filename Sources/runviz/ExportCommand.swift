// `runviz export FILE --format perfetto -o OUT`: a recording as Chrome Trace Event JSON, for
// ui.perfetto.dev or chrome://tracing (see PerfettoExporter for what is drawn).
//
// Streams both ways: the file is read 64 KiB at a time through a RecordingDecoder and the JSON
// leaves in chunks, so memory does not grow with the recording. Nothing is written until the input
// has proved to be a recording (its setup decodes), so a wrong file never truncates OUT. Exit
// status: 0 when every block was exported, and also for a recording cut off mid-block (a crash,
// a copy still being written): what came before is exported and one line on stderr says where it
// ends. 1, with one line, when the file cannot be read, is no recording, is from a newer runviz
// or is corrupt (the JSON written up to the damage is still closed, so it opens), or when OUT
// cannot be written or is the recording itself. 64 for a bad command line.

import ArgumentParser
import Glibc
import RunvizObservation
import RunvizSystem

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a recording to Chrome Trace Event JSON (open it in ui.perfetto.dev or chrome://tracing).",
        discussion: """
            One track per worker and blocking-pool thread; each job run is a slice named after its task, \
            with BLOCKED and parked spans, and each wake is a flow arrow to the job it scheduled.
            """)

    static let formats = ["perfetto"]
    static let readBytes = 64 << 10

    @Argument(help: ArgumentHelp("A runviz recording.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Output format.", valueName: formats.joined(separator: "|")))
    var format = "perfetto"

    @Option(
        name: [.short, .customLong("output")], help: ArgumentHelp("Where to write; - for stdout.", valueName: "out"))
    var output: String

    func validate() throws {
        guard Self.formats.contains(format) else {
            throw ValidationError("--format must be \(Self.formats.joined(separator: ", ")) (got \"\(format)\")")
        }
    }

    func run() throws {
        let input = open(file, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure("cannot open \(file): \(Self.errorText())") }
        defer { close(input) }
        var decoder = RecordingDecoder()
        var chunk = [UInt8](repeating: 0, count: Self.readBytes)
        var ended = false
        let setup: ObservedSetup
        while true {
            let decoded: ObservedSetup?
            do { decoded = try decoder.setup() } catch { throw Failure("\(file): \(error)") }
            if let decoded {
                setup = decoded
                break
            }
            guard !ended else {
                let bytes = decoder.pendingBytes
                throw Failure(
                    bytes == 0
                        ? "\(file): empty, not a runviz recording"
                        : "\(file): ends inside its header after \(bytes) bytes")
            }
            ended = try read(input, into: &chunk, feeding: &decoder)
        }

        if output != "-" && Self.sameFile(output, as: input) {
            throw Failure("\(output) is the recording itself; write the trace elsewhere")
        }
        let out = output == "-" ? STDOUT_FILENO : open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw Failure("cannot write \(output): \(Self.errorText())") }
        defer { if out != STDOUT_FILENO { close(out) } }
        let name = output
        var exporter = PerfettoExporter(setup: setup) { bytes in try Self.writeAll(bytes, to: out, name: name) }
        var damage: Failure?
        reading: while true {
            do {
                while let item = try decoder.next() { try exporter.feed(item) }
            } catch let error as RecordingError {
                damage = Failure("\(file): \(error)")
                break reading
            }
            if ended { break }
            ended = try read(input, into: &chunk, feeding: &decoder)
        }
        try exporter.finish()
        if let damage { throw damage }
        if decoder.pendingBytes > 0 {
            let message = "recording ends mid-block after \(decoder.offset) bytes; exported what came before\n"
            _ = Array(message.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// Reads the next chunk into the decoder; true at the end of the file.
    private func read(_ fd: Int32, into chunk: inout [UInt8], feeding decoder: inout RecordingDecoder) throws -> Bool {
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Failure("cannot read \(file): \(Self.errorText())") }
            decoder.feed(chunk[..<n])
            return n == 0
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, name: String) throws {
        do {
            try bytes.withUnsafeBytes { try Posix.writeAll(fd, $0) }
        } catch {
            let reason = String(cString: strerror((error as? SystemError)?.errno ?? EIO))
            throw Failure("cannot write \(name == "-" ? "stdout" : name): \(reason)")
        }
    }

    /// Whether `path` names the file open as `fd` (truncating it would destroy the input).
    private static func sameFile(_ path: String, as fd: Int32) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(path, &a) == 0, fstat(fd, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
