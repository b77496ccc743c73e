// Reads a recording file through one RecordingDecoder, a chunk at a time, so memory does not grow
// with the file. `open` reads the header (and fails with one clear reason: no such file, not a
// recording, a newer format, corrupt, or cut off before its setup); `next` returns the next item,
// reading more of the file when the decoder needs it, and nil at the end. At the end `truncated`
// says how many bytes were left over from a block cut off mid-write (kill -9, a full disk): the
// items before it are all there.

import Glibc
import RunvizObservation

public enum RecordingFileError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unreadable(path: String, RecordingError)
    case noSetup(path: String)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open \(path): \(reason)"
        case .unreadable(let path, let error): return "\(path): \(error)"
        case .noSetup(let path): return "\(path): the recording ends before its header is complete"
        case .readFailed(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}

public final class RecordingFile {
    public let path: String
    public let setup: ObservedSetup
    static let chunkBytes = 1 << 20
    private let fd: Int32
    private var decoder = RecordingDecoder()
    private var atEnd = false
    /// Bytes of an incomplete last block, known once the end is reached.
    public private(set) var truncated = 0
    /// Bytes decoded so far (the next item's offset in the file).
    public var offset: Int { decoder.offset }

    public init(path: String) throws(RecordingFileError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var setup: ObservedSetup?
        do {
            while setup == nil {
                setup = try decoder.setup()
                if setup == nil {
                    guard try Self.read(fd, path, into: &decoder) else { break }
                }
            }
        } catch let error as RecordingFileError {
            Glibc.close(fd)
            throw error
        } catch let error as RecordingError {
            Glibc.close(fd)
            throw .unreadable(path: path, error)
        } catch {
            Glibc.close(fd)
            throw .readFailed(path: path, reason: "\(error)")
        }
        guard let setup else {
            Glibc.close(fd)
            throw .noSetup(path: path)
        }
        self.setup = setup
    }

    deinit { Glibc.close(fd) }

    /// The next item; nil at the end of the file. A corrupt block throws (the items before it
    /// were returned); so does a failed read.
    public func next() throws(RecordingFileError) -> RecordingItem? {
        while true {
            do {
                if let item = try decoder.next() { return item }
            } catch {
                throw .unreadable(path: path, error)
            }
            if atEnd { return nil }
            if !(try Self.read(fd, path, into: &decoder)) {
                atEnd = true
                truncated = decoder.pendingBytes
            }
        }
    }

    /// Feeds one chunk of the file to the decoder; false at the end of the file.
    private static func read(_ fd: Int32, _ path: String, into decoder: inout RecordingDecoder)
        throws(RecordingFileError) -> Bool
    {
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { return false }
            decoder.feed(buffer[..<n])
            return true
        }
    }
}

/// One pass over a whole recording, before it is shown: what it holds, or why it cannot be read.
public struct RecordingScan: Sendable, Equatable {
    public var observations = 0
    public var frames = 0
    public var events = 0
    public var gaps = 0
    /// Observations the recorder dropped (the gaps' counts).
    public var droppedObservations: UInt64 = 0
    /// The file's size in bytes.
    public var bytes = 0
    /// Monotonic ns of the first and last observation (0: none).
    public var first: UInt64 = 0
    public var last: UInt64 = 0
    /// Bytes of a block cut off at the end (0: the file ends on a block boundary).
    public var truncated = 0

    /// Reads every block of `path`; throws the first reason it cannot be read.
    public static func of(path: String) throws(RecordingFileError) -> RecordingScan {
        let file = try RecordingFile(path: path)
        var scan = RecordingScan()
        while let item = try file.next() {
            switch item {
            case .observation(let o):
                if scan.observations == 0 { scan.first = o.now }
                scan.last = o.now
                scan.observations += 1
                scan.events += o.events.count
                if o.turn == .frame { scan.frames += 1 }
            case .gap(let observations, _):
                scan.gaps += 1
                scan.droppedObservations &+= observations
            }
        }
        scan.truncated = file.truncated
        scan.bytes = file.offset + file.truncated
        return scan
    }

    /// Recorded seconds from the first observation to the last.
    public var seconds: Double { Double(last &- first) / 1e9 }
}
