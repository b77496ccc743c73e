// Reads a recording back, from a whole file or a socket's reads alike: bytes are fed as they
// arrive, and an item comes out only once its whole block is in and its checksum matches, so
// chunking never changes what is decoded and a stream cut anywhere yields exactly the blocks
// complete before the cut. Nothing in the input is trusted: a length over `maxBlockBytes` is
// refused as soon as its four bytes are in, every count is checked against the bytes left before
// anything is reserved, and no read can trap. The first error is kept and thrown by every later
// call: past damage, block boundaries are unknown.

public struct RecordingDecoder: Sendable {
    /// Bytes fed and not yet dropped; `buffer[start...]` is still to decode.
    private var buffer: [UInt8] = []
    private var start = 0
    /// The stream offset of `buffer[0]`.
    private var dropped = 0
    private var decodedSetup: ObservedSetup?
    /// The stream's format version, once its header is in.
    private var version: UInt16 = RecordingFormat.version
    private var base = DeltaBase()
    private var failure: RecordingError?

    public init() {}

    /// Appends bytes as they arrive (a whole file at once, or a socket's reads). After an error
    /// they are ignored: nothing after it can be decoded, and a peer that keeps sending must not
    /// grow the buffer without bound.
    public mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes fed that do not form a complete block yet (before the setup: every byte fed).
    public var pendingBytes: Int { buffer.count - start }

    /// Offset in the stream of the next byte to decode.
    public var offset: Int { dropped + start }

    /// The setup once the header is complete (nil: need more bytes).
    public mutating func setup() throws(RecordingError) -> ObservedSetup? {
        if let failure { throw failure }
        if let decodedSetup { return decodedSetup }
        do throws(RecordingError) {
            guard let (setup, version, end) = try header() else { return nil }
            decodedSetup = setup
            self.version = version
            consume(to: end)
            return setup
        } catch {
            failure = error
            throw error
        }
    }

    /// The next complete item (nil: need more bytes, or the setup is not complete yet).
    public mutating func next() throws(RecordingError) -> RecordingItem? {
        guard try setup() != nil else { return nil }
        do throws(RecordingError) {
            guard let (item, end) = try item() else { return nil }
            consume(to: end)
            return item
        } catch {
            failure = error
            throw error
        }
    }

    private func corrupt(at index: Int, _ reason: String) -> RecordingError {
        .corrupt(offset: dropped &+ index, reason: reason)
    }

    /// Magic, version and the setup block, or nil while they are incomplete; checks the magic
    /// as soon as its first byte is in, so a wrong file fails at once, not after 10 bytes.
    private func header() throws(RecordingError) -> (ObservedSetup, version: UInt16, end: Int)? {
        let magic = RecordingFormat.magic
        for i in 0..<min(pendingBytes, magic.count) where buffer[start + i] != magic[i] {
            throw .notARecording
        }
        guard pendingBytes >= RecordingFormat.preambleBytes else { return nil }
        let v = start + magic.count
        let version = UInt16(buffer[v]) | UInt16(buffer[v + 1]) << 8
        guard version <= RecordingFormat.version else {
            throw .newerVersion(found: version, supported: RecordingFormat.version)
        }
        guard version >= 1 else { throw corrupt(at: v, "format version 0") }
        guard let (kind, payload, end) = try block(at: start + RecordingFormat.preambleBytes) else { return nil }
        guard kind == .setup else { throw corrupt(at: start + RecordingFormat.preambleBytes, "no setup block") }
        var r = payload
        let setup = try r.setup(version: version)
        try r.finish()
        return (setup, version, end)
    }

    /// The item at `start`, or nil while its block is incomplete. The reader holding the buffer
    /// is gone when this returns, so dropping consumed bytes next does not copy the buffer.
    private mutating func item() throws(RecordingError) -> (RecordingItem, end: Int)? {
        guard let (kind, payload, end) = try block(at: start) else { return nil }
        var r = payload
        let item: RecordingItem
        switch kind {
        case .setup: throw corrupt(at: start, "a second setup block")
        case .gap:
            item = .gap(observations: try r.u64(), events: try r.u64())
            base = DeltaBase()
        case .observation:
            let observation = try r.observation(base: &base, version: version)
            // An older format never held the kinds added after it: one of them there is damage.
            if version < RecordingFormat.version,
                let e = observation.events.first(where: { $0.kind.sinceFormat > version })
            {
                throw corrupt(at: start, "event kind \(e.kind.wireCode) in a format \(version) recording")
            }
            item = .observation(observation)
        }
        try r.finish()
        return (item, end)
    }

    /// The block at `index`: its kind, a reader over its payload and where it ends; nil while
    /// incomplete. The length is checked before waiting for the bytes it claims.
    private func block(
        at index: Int
    ) throws(RecordingError) -> (RecordingFormat.BlockKind, ByteReader, end: Int)? {
        let available = buffer.count - index
        guard available >= 4 else { return nil }
        let length = Int(exactly: little32(at: index)) ?? Int.max
        guard length <= RecordingFormat.maxBlockBytes else {
            throw corrupt(at: index, "block length \(length) over the limit of \(RecordingFormat.maxBlockBytes)")
        }
        let payloadStart = index + RecordingFormat.blockHeadBytes
        let payloadEnd = payloadStart + length
        let end = payloadEnd + RecordingFormat.blockTailBytes
        guard end - index <= available else { return nil }
        let sum = RecordingFormat.checksum(buffer, (index + 4)..<payloadEnd)
        guard sum == little32(at: payloadEnd) else { throw corrupt(at: index, "checksum mismatch") }
        let code = buffer[index + 4]
        guard let kind = RecordingFormat.BlockKind(rawValue: code) else {
            throw corrupt(at: index + 4, "unknown block kind \(code)")
        }
        return (kind, ByteReader(buffer, from: payloadStart, to: payloadEnd, streamBase: dropped), end)
    }

    private func little32(at i: Int) -> UInt32 {
        UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16 | UInt32(buffer[i + 3]) << 24
    }

    /// Moves past a decoded block; drops decoded bytes once they are most of the buffer, so each
    /// byte is moved a bounded number of times however the stream is fed.
    private mutating func consume(to end: Int) {
        start = end
        if start >= 1 << 16 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            dropped += start
            start = 0
        } else if start == buffer.count {
            dropped += start
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
    }
}

extension ByteReader {
    /// A block whose fields end before its payload does is corrupt, not padded.
    mutating func finish() throws(RecordingError) {
        guard remaining == 0 else { throw corrupt("\(remaining) bytes after the block's fields") }
    }

    mutating func observation(base: inout DeltaBase, version: UInt16) throws(RecordingError) -> Observation {
        let flags = try u8()
        guard flags & ObservationFlags.unknownBits == 0 else {
            throw corrupt("unknown observation flags \(flags)", back: 1)
        }
        let turn: Observation.Turn = flags & ObservationFlags.frame != 0 ? .frame : .update
        let echoCode = try code(flags >> ObservationFlags.echoShift)
        let processCode = try code(flags >> ObservationFlags.processShift)
        let demosCode = try code(flags >> ObservationFlags.demosShift)
        let now = try u64()
        let observerNanos = try u64()
        let syntheticClients = try int()
        let counters = try counters()
        let echo = try delta(echoCode, &base.echo, empty: EchoReading()) { r throws(RecordingError) in try r.echo() }
        let process = try delta(processCode, &base.process, empty: ProcessSnapshot()) {
            r throws(RecordingError) in try r.process()
        }
        let demos = try delta(demosCode, &base.demos, empty: DemoSnapshot()) {
            r throws(RecordingError) in try r.demos(version: version)
        }
        let newNames = try names()
        // Format 4 carries the events compact, against the observation's time.
        let decoded = version >= 4 ? try compactEvents(base: now) : try events()
        return Observation(
            turn: turn, now: now, events: decoded, newNames: newNames, counters: counters, echo: echo,
            observerNanos: observerNanos, process: process, demos: demos, syntheticClients: syntheticClients)
    }

    private func code(_ bits: UInt8) throws(RecordingError) -> DeltaBase.Code {
        guard let code = DeltaBase.Code(rawValue: bits & 3) else { throw corrupt("unknown delta code", back: 1) }
        return code
    }

    private mutating func delta<T>(
        _ code: DeltaBase.Code, _ base: inout T, empty: T, _ read: (inout ByteReader) throws(RecordingError) -> T
    ) throws(RecordingError) -> T {
        switch code {
        case .same: return base
        case .empty: return empty
        case .written:
            base = try read(&self)
            return base
        }
    }
}
