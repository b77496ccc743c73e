// Facts about the recording decoder when the bytes are not sound: a stream cut at every offset
// decodes, without an error, exactly the blocks complete before the cut and reports the rest as
// pending; random bytes and single flipped bytes never crash it, and a flipped byte inside a
// block is caught by its checksum; a wrong magic, a newer version, an over-long block, an unknown
// kind or enum value, a bad string or count are errors that say what is wrong, and stay thrown.

import Testing

@testable import RunvizObservation

@Suite struct RecordingDecoderTests {
    /// Decodes everything `bytes` holds: the items before any error, and the error.
    func drain(_ bytes: [UInt8]) -> (items: [RecordingItem], error: RecordingError?) {
        var decoder = RecordingDecoder()
        decoder.feed(bytes)
        var items: [RecordingItem] = []
        do throws(RecordingError) {
            guard try decoder.setup() != nil else { return ([], nil) }
            while let item = try decoder.next() { items.append(item) }
            return (items, nil)
        } catch {
            #expect(throws: error) { try decoder.next() }
            return (items, error)
        }
    }

    /// A block framed around `payload` with a correct checksum: only its contents are wrong.
    func block(_ kind: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(payload.count))
        w.u8(kind)
        w.bytes += payload
        w.u32(RecordingFormat.checksum(w.bytes, 4..<w.bytes.count))
        return w.bytes
    }

    /// The payload of an encoded block.
    func payload(_ block: [UInt8]) -> [UInt8] { Array(block[5..<(block.count - 4)]) }

    var preamble: [UInt8] { RecordingFormat.magic + [1, 0] }

    /// The setup block as formats 1 and 2 wrote it: without the global-executor flag, its last byte.
    func olderSetupBlock(_ setup: ObservedSetup = RecordingFixture.setup) -> [UInt8] {
        let header = RecordingEncoder.header(setup)
        let setupPayload = payload(Array(header[RecordingFormat.preambleBytes...]))
        return block(0, Array(setupPayload.dropLast()))
    }

    /// `stream` (a fixture stream, header ending at `headerEnd`) as format `version` wrote it.
    func older(_ version: UInt8, _ stream: [UInt8], headerEnd: Int) -> [UInt8] {
        RecordingFormat.magic + [version, 0] + olderSetupBlock() + stream[headerEnd...]
    }

    @Test func aStreamCutAnywhereDecodesTheBlocksBeforeTheCut() throws {
        let (bytes, headerEnd, ends) = RecordingFixture.stream()
        let items = RecordingFixture.items
        for cut in 0...bytes.count {
            var decoder = RecordingDecoder()
            decoder.feed(bytes[..<cut])
            let setup = try decoder.setup()
            var decoded: [RecordingItem] = []
            while let item = try decoder.next() { decoded.append(item) }
            if cut < headerEnd {
                #expect(setup == nil)
                #expect(decoded.isEmpty)
                #expect(decoder.pendingBytes == cut)
                continue
            }
            let complete = ends.filter { $0 <= cut }
            #expect(setup == RecordingFixture.setup)
            #expect(decoded == Array(items[..<complete.count]), "cut at \(cut)")
            #expect(decoder.pendingBytes == cut - (complete.last ?? headerEnd), "cut at \(cut)")
            #expect(decoder.offset == (complete.last ?? headerEnd))
        }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var rng = RecordingRandom(state: 7)
        let (valid, headerEnd, _) = RecordingFixture.stream()
        var errors = 0
        for i in 0..<3_000 {
            let noise = (0..<Int.random(in: 0...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // A third bare noise, a third after a sound preamble, a third after a sound header.
            let prefix = i % 3 == 0 ? [] : i % 3 == 1 ? preamble : Array(valid[..<headerEnd])
            if drain(prefix + noise).error != nil { errors += 1 }
        }
        #expect(errors > 1_000)
    }

    @Test func aFlippedByteIsCaughtAndEverythingBeforeItDecodes() {
        var rng = RecordingRandom(state: 11)
        let (bytes, headerEnd, ends) = RecordingFixture.stream()
        let starts = [headerEnd] + ends.dropLast()
        let setupStart = RecordingFormat.preambleBytes
        var caught = 0
        for position in 0..<bytes.count {
            var flipped = bytes
            flipped[position] ^= UInt8.random(in: 1...255, using: &rng)
            let (items, error) = drain(flipped)
            #expect(RecordingFixture.items.starts(with: items))
            if position < RecordingFormat.magic.count {
                #expect(error == .notARecording)
            } else if position >= setupStart + 4 && position < headerEnd {
                #expect(error == .corrupt(offset: setupStart, reason: "checksum mismatch"))
            } else if let k = starts.lastIndex(where: { $0 + 4 <= position }), position < ends[k] {
                #expect(items == Array(RecordingFixture.items[..<k]))
                #expect(error == .corrupt(offset: starts[k], reason: "checksum mismatch"), "flip at \(position)")
                caught += 1
            }
        }
        #expect(caught == bytes.count - headerEnd - 4 * ends.count, "every byte after a length field")
    }

    @Test func aFormat1RecordingStillReadsWithNoDemoKey() throws {
        var demos = RecordingFixture.demos
        demos.current = nil
        let observation = Observation(turn: .frame, now: 5, counters: .idle(workers: 1), demos: demos)
        var encoder = RecordingEncoder()
        encoder.format = 3
        let v2 = payload(encoder.block(.observation(observation)))
        // Format 1 had no presence byte for the demo key, just before the (empty) names and events.
        var v1 = v2
        v1.remove(at: v2.count - 9)
        #expect(v2[v2.count - 9] == 0, "the demo key's presence byte: none")
        let (items, error) = drain(preamble + olderSetupBlock() + block(1, v1))
        #expect(error == nil)
        #expect(items == [.observation(observation)])
    }

    @Test func aWrongMagicIsNotARecording() {
        var decoder = RecordingDecoder()
        decoder.feed(Array("GIF89a".utf8))
        #expect(throws: RecordingError.notARecording) { try decoder.setup() }
        #expect(RecordingError.notARecording.description == "not a runviz recording")
        var early = RecordingDecoder()
        early.feed([0x50])
        #expect(throws: RecordingError.notARecording, "the first wrong byte is enough") { try early.setup() }
    }

    @Test func aNewerVersionSaysSo() {
        var decoder = RecordingDecoder()
        decoder.feed(RecordingFormat.magic + [5, 0])
        let error = RecordingError.newerVersion(found: 5, supported: 4)
        #expect(throws: error) { try decoder.setup() }
        #expect(throws: error) { try decoder.next() }
        #expect(error.description == "recorded by a newer runviz (format 5; this one reads 4)")
        decoder.feed([UInt8](repeating: 0, count: 100))
        #expect(decoder.pendingBytes == 10, "bytes after an error are not kept")
        #expect(throws: error) { try decoder.setup() }
        var zero = RecordingDecoder()
        zero.feed(RecordingFormat.magic + [0, 0])
        #expect(throws: RecordingError.corrupt(offset: 8, reason: "format version 0")) { try zero.setup() }
    }

    @Test func aFormat1RecordingReadsAsBeforeAndHoldsNoLaterKind() throws {
        // Format 1 is format 2 without the JoinHandle kinds and without the demo key, which travels
        // with the demos: observations whose demos are never written read the same in both.
        let quiet = RecordingFixture.items.filter { item in
            guard case .observation(let o) = item else { return true }
            return o.demos == DemoSnapshot()
        }
        let older = quiet.filter { item in
            guard case .observation(let o) = item else { return true }
            return o.events.allSatisfy { $0.kind.sinceFormat == 1 }
        }
        #expect(older.count >= 2)
        let (current, currentHeaderEnd, _) = RecordingFixture.stream(RecordingFixture.setup, older, format: 3)
        let v1 = self.older(1, current, headerEnd: currentHeaderEnd)
        #expect(drain(v1).items == older)
        #expect(drain(v1).error == nil)
        let awaited = Observation(
            turn: .update, now: 3_000_000, events: [RecordingFixture.event(0, .handleAwaited)],
            counters: .idle(workers: 1))
        let (bytes, headerEnd, ends) = RecordingFixture.stream(
            RecordingFixture.setup, [older[0], .observation(awaited)], format: 3)
        let (items, error) = drain(self.older(1, bytes, headerEnd: headerEnd))
        #expect(items == [older[0]])
        // One byte shorter: the older setup block has no global-executor flag.
        #expect(error == .corrupt(offset: ends[0] - 1, reason: "event kind 18 in a format 1 recording"))
    }

    @Test func aFormat2SetupReadsAsNoGlobalExecutorAndFormat3KeepsTheFlag() throws {
        var installed = RecordingFixture.setup
        installed.configuration.globalExecutor = true
        var decoder = RecordingDecoder()
        decoder.feed(RecordingEncoder.header(installed))
        #expect(try decoder.setup()?.configuration.globalExecutor == true)
        let (bytes, headerEnd, _) = RecordingFixture.stream(installed, [])
        var v2 = RecordingDecoder()
        v2.feed(RecordingFormat.magic + [2, 0] + olderSetupBlock(installed) + bytes[headerEnd...])
        let setup = try #require(try v2.setup())
        #expect(setup.configuration.globalExecutor == false)
        #expect(setup.configuration.workers == installed.configuration.workers)
        #expect(setup.echoAddress == installed.echoAddress)
    }

    @Test func anOverlongBlockIsRefusedBeforeItsBytesArrive() throws {
        let (bytes, headerEnd, _) = RecordingFixture.stream()
        var w = ByteWriter()
        w.u32(UInt32(RecordingFormat.maxBlockBytes + 1))
        var decoder = RecordingDecoder()
        decoder.feed(bytes[..<headerEnd] + w.bytes)
        #expect(try decoder.setup() == RecordingFixture.setup)
        let reason = "block length 67108865 over the limit of 67108864"
        #expect(throws: RecordingError.corrupt(offset: headerEnd, reason: reason)) { try decoder.next() }
        #expect(
            RecordingError.corrupt(offset: 1234, reason: "checksum mismatch").description
                == "corrupt at byte 1234: checksum mismatch")

        var inSetup = RecordingDecoder()
        inSetup.feed(preamble + [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(
            throws: RecordingError.corrupt(offset: 10, reason: "block length 4294967295 over the limit of 67108864")
        ) {
            try inSetup.setup()
        }
    }

    @Test func unknownKindsAndValuesAreCorruptNotTraps() throws {
        let (bytes, headerEnd, _) = RecordingFixture.stream()
        let header = Array(bytes[..<headerEnd])
        func error(_ blocks: [UInt8]) -> RecordingError? { drain(header + blocks).error }
        func reason(_ blocks: [UInt8]) -> String? {
            if case .corrupt(_, let reason) = error(blocks) { return reason }
            return nil
        }

        #expect(reason(block(9, [])) == "unknown block kind 9")
        #expect(error(block(9, [])) == .corrupt(offset: headerEnd + 4, reason: "unknown block kind 9"))
        #expect(reason(block(0, payload(Array(header[10...])))) == "a second setup block")

        var encoder = RecordingEncoder()
        let one = Observation(
            turn: .update, now: 1, events: [RecordingFixture.event(0, .spawned)], counters: .idle(workers: 1))
        let sound = payload(encoder.block(.observation(one)))
        var format3 = RecordingEncoder()
        format3.format = 3
        var kind = payload(format3.block(.observation(one)))
        kind[kind.count - 8] = 200
        let (v3, v3HeaderEnd, _) = RecordingFixture.stream(format: 3)
        if case .corrupt(_, let reason) = drain(Array(v3[..<v3HeaderEnd]) + block(1, kind)).error {
            #expect(reason == "unknown event kind 200")
        } else {
            Issue.record("an unknown event kind in a format 3 block decoded")
        }

        var activity = sound
        activity[1 + 24 + 4 + 48] = 6
        #expect(reason(block(1, activity)) == "unknown worker activity 6")

        var flags = sound
        flags[0] = 0x80
        #expect(reason(block(1, flags)) == "unknown observation flags 128")
        flags[0] = 3 << 1
        #expect(reason(block(1, flags)) == "unknown delta code")

        let empty = payload(
            encoder.block(.observation(Observation(turn: .update, now: 1, counters: .idle(workers: 0)))))
        var count = empty
        for i in (empty.count - 4)..<empty.count { count[i] = 0xFF }
        #expect(reason(block(1, count)) == "count 4294967295 over the bytes left")
        #expect(reason(block(1, empty + [0])) == "1 bytes after the block's fields")
        #expect(reason(block(1, Array(empty.dropLast()))) == "block ends inside a field")
        #expect(reason(block(2, [1, 2, 3])) == "block ends inside a field")

        let named = payload(
            encoder.block(
                .observation(Observation(turn: .update, now: 1, newNames: ["ab"], counters: .idle(workers: 0)))))
        var utf8 = named
        utf8[utf8.count - 8 - 2] = 0xFF
        #expect(reason(block(1, utf8)) == "string not UTF-8")

        var presence = payload(
            encoder.block(
                .observation(
                    Observation(
                        turn: .frame, now: 1, counters: .idle(workers: 0), demos: DemoSnapshot(lastAction: "x")))))
        let demosAt = 1 + 24 + 4 + 69 - 4
        #expect(presence[demosAt] == 0)
        presence[demosAt] = 2
        #expect(reason(block(1, presence)) == "bad presence byte 2")
    }

    @Test func aBadCompactPayloadIsCorruptNotATrap() throws {
        let (bytes, headerEnd, _) = RecordingFixture.stream()
        let header = Array(bytes[..<headerEnd])
        var encoder = RecordingEncoder()
        let events = CompactEventsTests.roundTripOfEcho
        let sound = payload(
            encoder.block(
                .observation(Observation(turn: .update, now: 1_000_000, events: events, counters: .idle(workers: 1)))))
        // The payload ends: events count (4), their byte length (4), 28 compact bytes.
        let at = sound.count - 28
        #expect(Array(sound[(at - 8)..<at]) == [6, 0, 0, 0, 28, 0, 0, 0])
        let blockAt = headerEnd + 5
        func error(_ payload: [UInt8]) -> RecordingError? { drain(header + block(1, payload)).error }

        var unknownKind = sound
        unknownKind[at] = 0x1F
        #expect(error(unknownKind) == .corrupt(offset: blockAt + at, reason: "events not a valid compact encoding"))
        var fewer = sound
        fewer[at - 8] = 5
        #expect(error(fewer) == .corrupt(offset: blockAt + at, reason: "events not a valid compact encoding"))
        var more = sound
        more[at - 8] = 7
        #expect(error(more) == .corrupt(offset: blockAt + at, reason: "6 events where the block says 7"))
        var cut = sound
        cut[at - 4] = 27
        #expect(
            error(Array(cut.dropLast()))
                == .corrupt(offset: blockAt + at, reason: "events not a valid compact encoding"))
        var long = sound
        long[at - 4] = 29
        #expect(error(long) == .corrupt(offset: blockAt + at - 4, reason: "count 29 over the bytes left"))
        var tooMany = sound
        tooMany[at - 8] = 100
        #expect(error(tooMany) == .corrupt(offset: blockAt + at - 8, reason: "count 100 over the bytes left"))
        // Any byte of the compact events changed to any value: an error or other events, never a trap.
        for i in at..<sound.count {
            for v in [UInt8(0), 0x1F, 0x7F, 0x80, 0xFF] {
                var damaged = sound
                damaged[i] = v
                _ = drain(header + block(1, damaged))
            }
        }
    }

    @Test func anUnknownEchoModeIsCorrupt() {
        var w = ByteWriter()
        w.echo(EchoReading(echoes: 1, mode: .threads))
        var bytes = w.bytes
        bytes[bytes.count - 1] = 7
        var r = ByteReader(bytes, from: 0, to: bytes.count, streamBase: 100)
        #expect(throws: RecordingError.corrupt(offset: 100 + bytes.count - 1, reason: "unknown echo mode 7")) {
            _ = try r.echo()
        }
    }

    @Test func aBadSetupIsCorrupt() {
        var w = ByteWriter()
        w.setup(RecordingFixture.setup)
        var boolean = w.bytes
        boolean[24] = 2
        #expect(drain(preamble + block(0, boolean)).error == .corrupt(offset: 15 + 24, reason: "bad boolean 2"))
        var utf8 = w.bytes
        utf8[37] = 0xC0
        if case .corrupt(_, let reason) = drain(preamble + block(0, utf8)).error {
            #expect(reason == "string not UTF-8")
        } else {
            Issue.record("a setup with a bad string decoded")
        }
        #expect(drain(preamble + block(1, [])).error == .corrupt(offset: 10, reason: "no setup block"))
    }
}
