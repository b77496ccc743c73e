// Makes a recording's bytes: the header once, then one block per item. The echo reading, the
// process and the demos change far less often than turns come (the process and demos are only
// read on frame turns and left at their defaults in between), so each is written only when it
// differs both from the last value written and from its default; otherwise a 2-bit code in the
// flags byte says which of the two it is. Encoder and decoder keep the same base, starting at the
// defaults at the start of a stream and back at the defaults after every gap, so a stream is
// decodable from its start and a writer that throws away blocks it made stays in step by writing
// a gap after them.

/// The value the encoder and the decoder compare the next observation's slow fields with.
struct DeltaBase: Sendable, Equatable {
    var echo = EchoReading()
    var process = ProcessSnapshot()
    var demos = DemoSnapshot()

    /// How a slow field travels, in two bits of the flags byte.
    enum Code: UInt8 {
        /// Equal to the base: nothing written.
        case same = 0
        /// Equal to the type's default: nothing written, the base kept.
        case empty = 1
        /// Written; it becomes the base.
        case written = 2
    }
}

/// The observation flags byte: bit 0 the turn, then two bits each for echo, process and demos.
enum ObservationFlags {
    static let frame: UInt8 = 1
    static let echoShift: UInt8 = 1
    static let processShift: UInt8 = 3
    static let demosShift: UInt8 = 5
    static let unknownBits: UInt8 = 0x80
}

public struct RecordingEncoder: Sendable {
    private var base = DeltaBase()
    /// The largest payload this encoder makes; `RecordingFormat.maxBlockBytes` except in tests.
    var blockLimit = RecordingFormat.maxBlockBytes
    /// The format the blocks are written in: `RecordingFormat.version`, except in tests that make
    /// a format 3 stream (events 32 bytes each) to check it still reads.
    var format = RecordingFormat.version

    public init() {}

    /// The stream's first bytes: magic, version, then the setup block.
    public static func header(_ setup: ObservedSetup) -> [UInt8] { header(setup, format: RecordingFormat.version) }

    /// The header as format `format` (3 or later: the setup has not changed since) writes it.
    static func header(_ setup: ObservedSetup, format: UInt16) -> [UInt8] {
        var w = ByteWriter(bytes: RecordingFormat.magic)
        w.u16(format)
        w.block(.setup) { $0.setup(setup) }
        return w.bytes
    }

    /// One item as one self-delimiting block (see `append(_:to:)`).
    public mutating func block(_ item: RecordingItem) -> [UInt8] {
        var bytes: [UInt8] = []
        append(item, to: &bytes)
        return bytes
    }

    /// Appends `item`'s block to `bytes` (a writer's buffer: no array per block). An observation
    /// too large for `maxBlockBytes` (never seen: the rings hold far fewer events) becomes a gap
    /// for its events followed by the observation without them, so names and counters still
    /// arrive; if even that is too large, a gap for the whole observation.
    public mutating func append(_ item: RecordingItem, to bytes: inout [UInt8]) {
        var w = ByteWriter()
        swap(&w.bytes, &bytes)
        defer { swap(&w.bytes, &bytes) }
        switch item {
        case .gap(let observations, let events):
            gap(observations: observations, events: events, into: &w)
        case .observation(let o):
            let start = w.bytes.count
            if observation(o, into: &w) { return }
            w.bytes.removeSubrange(start...)
            gap(observations: 0, events: UInt64(o.events.count), into: &w)
            var withoutEvents = o
            withoutEvents.events = []
            if observation(withoutEvents, into: &w) { return }
            w.bytes.removeSubrange(start...)
            gap(observations: 1, events: UInt64(o.events.count), into: &w)
        }
    }

    private mutating func gap(observations: UInt64, events: UInt64, into w: inout ByteWriter) {
        w.block(.gap) {
            $0.u64(observations)
            $0.u64(events)
        }
        base = DeltaBase()
    }

    /// Writes `o`'s block; false (and the bytes left for the caller to drop) when it is too large.
    private mutating func observation(_ o: Observation, into w: inout ByteWriter) -> Bool {
        let eventBytes = format >= 4 ? RecordingFormat.compactEventReserveBytes : RecordingFormat.eventBytes
        var estimate = 128 + o.counters.workers.count * workerWireBytes + o.events.count * eventBytes
        for name in o.newNames { estimate += 4 + name.utf8.count }
        // Grown geometrically: reserving exactly what one more block needs would copy a writer's
        // buffer on every block appended to it.
        let needed = w.bytes.count + estimate
        if w.bytes.capacity < needed { w.bytes.reserveCapacity(max(needed, 2 * w.bytes.capacity)) }
        let echo = Self.code(o.echo, &base.echo, empty: EchoReading())
        let process = Self.code(o.process, &base.process, empty: ProcessSnapshot())
        let demos = Self.code(o.demos, &base.demos, empty: DemoSnapshot())
        let length = w.block(.observation) { w in
            w.u8(
                (o.turn == .frame ? ObservationFlags.frame : 0) | echo.rawValue << ObservationFlags.echoShift
                    | process.rawValue << ObservationFlags.processShift | demos.rawValue << ObservationFlags.demosShift)
            w.u64(o.now)
            w.u64(o.observerNanos)
            w.int(o.syntheticClients)
            w.counters(o.counters)
            if echo == .written { w.echo(o.echo) }
            if process == .written { w.process(o.process) }
            if demos == .written { w.demos(o.demos) }
            w.names(o.newNames)
            if format >= 4 { w.compactEvents(o.events, base: o.now) } else { w.events(o.events) }
        }
        return length <= blockLimit
    }

    /// How `value` travels against `base`, moving the base when it is written.
    private static func code<T: Equatable>(_ value: T, _ base: inout T, empty: T) -> DeltaBase.Code {
        if value == base { return .same }
        if value == empty { return .empty }
        base = value
        return .written
    }
}

extension ByteWriter {
    /// Frames what `payload` writes as one block; returns the payload's length.
    @discardableResult
    mutating func block(_ kind: RecordingFormat.BlockKind, _ payload: (inout ByteWriter) -> Void) -> Int {
        let start = bytes.count
        u32(0)
        u8(kind.rawValue)
        payload(&self)
        let length = bytes.count - start - RecordingFormat.blockHeadBytes
        let field = UInt32(truncatingIfNeeded: length)
        for i in 0..<4 { bytes[start + i] = UInt8(truncatingIfNeeded: field >> UInt32(8 * i)) }
        u32(RecordingFormat.checksum(bytes, (start + 4)..<bytes.count))
        return length
    }
}
