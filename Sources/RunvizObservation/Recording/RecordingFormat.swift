// The recording format: the observer's input stream (one ObservedSetup, then Observations) as
// bytes, the same for a file and a socket, so one decoder serves `replay` and `attach`.
//
// A stream is `magic (8) | version (u16 LE) | setup block | item block*`. Every block is
// `[u32 LE payload length][u8 kind][payload][u32 LE FNV-1a 32 of kind+payload]`: self-delimiting,
// so a reader knows where a block ends before reading it, and a block cut off by a crash or a
// short read is simply incomplete, never misread. Any single changed byte of kind or payload
// changes the checksum (each FNV-1a step is a bijection of the hash).
//
// Inside a payload: fixed-width little-endian integers, Int as Int64, Double as its bit pattern,
// Bool and Optional as one byte (0/1, anything else is corrupt), String as u32 length + UTF-8,
// arrays as u32 count + elements, enums by an explicit wire code (never a Swift raw value the
// compiler assigns by declaration order, so reordering cases cannot silently change old files).
//
// What a block costs: 9 bytes of framing. An observation block holds 1 flags byte, 24 bytes of
// times and counts, the counters (69 bytes + 65 per worker), 12 bytes of counts for names and
// events and the events' byte length, 4 + UTF-8 bytes per new name, and the events in the compact
// encoding the history keeps (CompactEvents, against the observation's time: 2–41 bytes an event,
// about 3.5 for echo traffic, where formats 1–3 took 32); plus 57 bytes for the echo reading,
// 42–92 for the process and 5–147 for the demos (+ the last action's text, + 22–50 and 8 per task it
// follows for the demo key pressed last), each only when it differs both from the last one written
// and from its default. With 4 workers: 375 bytes + 3.5 per event of echo traffic (RecordingRoundTripTests
// measures it: 100 round trips on 100 connections, 2,107 bytes for 600 events), so a busy run's 100k
// events/s is about 0.4 MB/s, against 3.2 MB/s in format 3. A gap block is 25 bytes.

/// Constants of the format; bump `version` for any change an older reader would misread.
public enum RecordingFormat {
    /// "RUNVIZ", a NUL (so it is no text file), "R" for recording.
    public static let magic: [UInt8] = [0x52, 0x55, 0x4E, 0x56, 0x49, 0x5A, 0x00, 0x52]
    /// 2 added the JoinHandle events (`handleAwaited`, `handleDropped`), the lock demo's tasks that
    /// gave up, and ends the demos with the demo key pressed last (`DemoRun`); a format 1 recording
    /// reads as it always did. 3 added to the setup whether the runtime was the process's global
    /// executor (a format 2 setup reads as not). The parks added since (continuation, task group,
    /// actor: a `parked` event's `detail` 7, 8, 9, an actor's interned name in `arg`) need no new
    /// version: a reader that knows them not reads them as `other`, what they were recorded as before.
    /// 4 carries an observation's events in the compact encoding the history keeps them in
    /// (CompactEvents: a count, a byte length, then about 4 bytes an event of echo traffic instead
    /// of 32); the rest of the block is as in 3. Formats 1–3 read as they always did.
    public static let version: UInt16 = 4
    /// The largest payload a reader accepts: a length over it is corruption, caught before any
    /// byte of the block is awaited or allocated. Ring capacities keep real blocks far below it.
    public static let maxBlockBytes = 64 << 20

    /// Bytes before the setup block: magic and version.
    static let preambleBytes = magic.count + 2
    /// Length and kind before a payload, checksum after it.
    static let blockHeadBytes = 5
    static let blockTailBytes = 4
    /// One event on the wire in formats 1–3: time, task, arg (u64), kind, worker (u8), detail
    /// (u16), extra (u32).
    static let eventBytes = 32
    /// The smallest compact event (format 4): its head byte and its time.
    static let compactEventMinimumBytes = 2
    /// What the encoder reserves per compact event: twice what one of echo traffic takes, so a
    /// block rarely grows its buffer more than once.
    static let compactEventReserveBytes = 8

    /// What a block holds.
    enum BlockKind: UInt8 {
        case setup = 0
        case observation = 1
        case gap = 2
    }

    /// FNV-1a 32: a few lines, no tables, and every single-byte change alters it.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for i in range { hash = (hash ^ UInt32(bytes[i])) &* 0x0100_0193 }
        return hash
    }
}

/// What a recording holds besides observations: a gap where the writer dropped observations
/// because the disk could not keep up. A gap also resets the delta base (see RecordingEncoder),
/// so a writer may drop blocks it already encoded as long as it records a gap after them. Names
/// are numbered by arrival, so a writer that drops observations must carry their `newNames` into
/// the next observation it records, or every later name is off by the ones dropped.
public enum RecordingItem: Sendable, Equatable {
    case observation(Observation)
    case gap(observations: UInt64, events: UInt64)
}

/// Why a stream cannot be read. Thrown once, then again by every later call: a decoder never
/// resynchronises past damage.
public enum RecordingError: Error, Equatable, CustomStringConvertible {
    /// The magic is wrong: this is some other file.
    case notARecording
    case newerVersion(found: UInt16, supported: UInt16)
    /// Bad length, checksum mismatch, unknown kind or enum value, string not UTF-8, count over
    /// the bytes left… `offset` is the stream offset where reading went wrong.
    case corrupt(offset: Int, reason: String)

    public var description: String {
        switch self {
        case .notARecording: return "not a runviz recording"
        case .newerVersion(let found, let supported):
            return "recorded by a newer runviz (format \(found); this one reads \(supported))"
        case .corrupt(let offset, let reason): return "corrupt at byte \(offset): \(reason)"
        }
    }
}
