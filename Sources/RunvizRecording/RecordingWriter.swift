// Writes a session's observations to a recording file. `record` runs on the observer's thread
// (never a runtime worker): it encodes the observation into the current chunk and hands full
// chunks (and every frame turn's) to a writer thread, which does the only disk I/O. The queue
// between them is bounded in bytes: when the disk cannot keep up (or has failed), observations
// are dropped before they are encoded, counted, and recorded as one gap block when writing
// resumes; the names they introduced ride on the next observation recorded, so name ids stay
// right. `close` hands over what is left, waits for the writer thread and closes the file.

import Glibc
import RunvizLock
import RunvizObservation
import RunvizSystem

public enum RecordingWriterError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): return "cannot record to \(path): \(reason)"
        }
    }
}

public final class RecordingWriter: ObservationSink {
    public let path: String
    /// The most encoded bytes waiting for the disk before observations are dropped.
    public let queueLimit: Int
    /// A chunk goes to the writer thread once it holds this many bytes (or at a frame turn).
    static let chunkBytes = 256 << 10

    /// What the writer thread holds (never the writer itself, so dropping the writer closes it).
    private final class Disk: @unchecked Sendable {
        struct Shared {
            var chunks: [[UInt8]] = []
            var queuedBytes = 0
            var writtenBytes: UInt64 = 0
            var failure: String?
            var closing = false
            /// Written chunks, emptied, for the next ones to reuse: a fresh 512 KiB buffer a few
            /// dozen times a second would be as many mmaps and page faults.
            var spare: [[UInt8]] = []
        }
        let path: String
        let fd: Int32
        let shared = Lock(Shared())
        let wake = Parker()

        init(path: String, fd: Int32) {
            self.path = path
            self.fd = fd
        }

        func writeLoop() {
            while true {
                let (next, closing) = shared.withLock { s -> ([UInt8]?, Bool) in
                    if s.chunks.isEmpty { return (nil, s.closing) }
                    return (s.chunks.removeFirst(), false)
                }
                guard let next else {
                    if closing { return }
                    wake.park()
                    continue
                }
                let failed = shared.withLock { $0.failure != nil }
                let problem = failed ? nil : RecordingWriter.writeAll(fd, next)
                var emptied = next
                emptied.removeAll(keepingCapacity: true)
                shared.withLock { s in
                    s.queuedBytes -= next.count
                    if let problem {
                        s.failure = "cannot write \(path): \(problem)"
                    } else if !failed {
                        s.writtenBytes += UInt64(next.count)
                    }
                    if s.spare.count < 4 { s.spare.append(emptied) }
                }
            }
        }
    }
    private let disk: Disk
    private let thread: OSThread

    // The observer thread's own state.
    private var encoder = RecordingEncoder()
    private var chunk: [UInt8] = []
    private var observations: UInt64 = 0
    private var droppedObservations: UInt64 = 0
    private var droppedEvents: UInt64 = 0
    /// Dropped since the last gap was written.
    private var gapObservations: UInt64 = 0
    private var gapEvents: UInt64 = 0
    private var carriedNames: [String] = []
    private var closed = false

    public init(path: String, setup: ObservedSetup, queueLimit: Int = 32 << 20) throws(RecordingWriterError) {
        self.path = path
        self.queueLimit = queueLimit
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        let header = RecordingEncoder.header(setup)
        if let problem = Self.writeAll(fd, header) {
            Glibc.close(fd)
            throw .cannotCreate(path: path, reason: problem)
        }
        let disk = Disk(path: path, fd: fd)
        disk.shared.withLock { $0.writtenBytes = UInt64(header.count) }
        do {
            thread = try OSThread.start(name: "runviz-record") { disk.writeLoop() }
        } catch {
            Glibc.close(fd)
            throw .cannotCreate(path: path, reason: "cannot start the writer thread (\(error.errno))")
        }
        self.disk = disk
        chunk.reserveCapacity(Self.chunkBytes * 2)
    }

    deinit { close() }

    public func record(_ observation: Observation) {
        guard !closed else { return }
        let (queued, failed) = disk.shared.withLock { ($0.queuedBytes, $0.failure != nil) }
        if failed || queued + chunk.count > queueLimit {
            droppedObservations += 1
            gapObservations += 1
            droppedEvents += UInt64(observation.events.count)
            gapEvents += UInt64(observation.events.count)
            carriedNames += observation.newNames
            return
        }
        if gapObservations > 0 {
            encoder.append(.gap(observations: gapObservations, events: gapEvents), to: &chunk)
            gapObservations = 0
            gapEvents = 0
            var carried = observation
            carried.newNames = carriedNames + observation.newNames
            carriedNames = []
            encoder.append(.observation(carried), to: &chunk)
        } else {
            encoder.append(.observation(observation), to: &chunk)
        }
        observations += 1
        if chunk.count >= Self.chunkBytes || observation.turn == .frame { handOver() }
    }

    public var recordingStatus: RecordingStatus? { status }

    public var status: RecordingStatus {
        let (written, failure) = disk.shared.withLock { ($0.writtenBytes, $0.failure) }
        return RecordingStatus(
            path: path, bytes: written, observations: observations, droppedObservations: droppedObservations,
            droppedEvents: droppedEvents, failure: failure)
    }

    /// Writes what is left (a gap for what was dropped last), stops the writer thread and closes
    /// the file. Idempotent; the final status.
    @discardableResult
    public func close() -> RecordingStatus {
        guard !closed else { return status }
        if gapObservations > 0 {
            encoder.append(.gap(observations: gapObservations, events: gapEvents), to: &chunk)
            gapObservations = 0
        }
        handOver()
        closed = true
        disk.shared.withLock { $0.closing = true }
        disk.wake.unpark()
        thread.join()
        Glibc.close(disk.fd)
        return status
    }

    private func handOver() {
        guard !chunk.isEmpty else { return }
        let full = chunk
        let spare = disk.shared.withLock { s -> [UInt8]? in
            s.chunks.append(full)
            s.queuedBytes += full.count
            return s.spare.popLast()
        }
        if let spare {
            chunk = spare
        } else {
            chunk = []
            chunk.reserveCapacity(Self.chunkBytes * 2)
        }
        disk.wake.unpark()
    }

    /// Writes every byte (short writes and EINTR continue); the error's text if one stops it.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        do {
            try bytes.withUnsafeBytes { try Posix.writeAll(fd, $0) }
            return nil
        } catch {
            return String(cString: strerror((error as? SystemError)?.errno ?? EIO))
        }
    }
}
