// Facts about the compact event encoding: every kind, with every field at its edges (zero, the
// largest value, equal to the event before's, times going backwards), decodes to exactly what
// was encoded; a round trip of echo traffic costs the bytes the layout says, event by event; and
// no input traps the decoder: every cut-off, an unknown kind, a bad extra code, an over-long or
// out-of-range varint is refused.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct CompactEventsTests {
    static func roundTrip(_ events: [RuntimeEvent], base: UInt64) -> [RuntimeEvent]? {
        var bytes: [UInt8] = []
        CompactEvents.encode(events, base: base, into: &bytes)
        var decoded: [RuntimeEvent] = []
        return CompactEvents.decode(bytes, base: base, into: &decoded) ? decoded : nil
    }

    /// A deterministic generator (xorshift64*), so a failure names a reproducible case.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        /// Mostly small, sometimes an edge, sometimes anything.
        mutating func value(_ max: UInt64) -> UInt64 {
            switch next() % 6 {
            case 0: return 0
            case 1: return max
            case 2: return next() % 16
            case 3: return next() % 100_000
            default: return next() & max
            }
        }
    }

    @Test func everyKindWithEdgeValuesRoundTrips() {
        let kinds = RecordingFixture.kinds
        #expect(kinds.count == 20)
        var events: [RuntimeEvent] = []
        var g = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var time: UInt64 = 5_000_000_000
        for i in 0..<4_000 {
            let kind = kinds[i % kinds.count]
            // Forwards, backwards, by nothing and across the whole range.
            switch g.next() % 5 {
            case 0: time = time &- g.value(1_000_000)
            case 1: time = g.value(.max)
            default: time = time &+ g.value(100_000)
            }
            var e = RuntimeEvent(
                time: time, kind: kind, task: g.value(.max), worker: UInt8(truncatingIfNeeded: g.value(255)),
                detail: UInt16(truncatingIfNeeded: g.value(0xFFFF)), arg: g.value(.max),
                extra: UInt32(truncatingIfNeeded: g.value(0xFFFF_FFFF)))
            // The repeats the encoding shortens: arg equal to the task or an offset from it, the
            // tasks seen last, fields of the event before.
            if let before = events.last {
                switch g.next() % 4 {
                case 0: e.arg = e.task
                case 1:
                    e.task = before.task
                    e.worker = before.worker
                case 2:
                    e.arg = e.task &+ (before.arg &- before.task)
                    e.extra = before.extra
                    e.kind = before.kind
                default: break
                }
            }
            events.append(e)
        }
        for base: UInt64 in [0, 5_000_000_000, .max] {
            let decoded = Self.roundTrip(events, base: base)
            #expect(decoded == events, "base \(base)")
        }
        #expect(Self.roundTrip([], base: 7) == [])
        let extremes = [
            RuntimeEvent(
                time: .max, kind: .handleDropped, task: .max, worker: .max, detail: .max, arg: .max, extra: .max),
            RuntimeEvent(time: 0, kind: .spawned, task: 0, worker: 0, detail: 15, arg: 0, extra: 0),
            RuntimeEvent(time: .max, kind: .spawned, task: 1, worker: 0, detail: 14, arg: 1, extra: 1),
        ]
        #expect(Self.roundTrip(extremes, base: 0) == extremes)
        #expect(Self.roundTrip(extremes, base: .max) == extremes)
    }

    /// One round trip of the echo server on connection task 5000, fd 5003, all on worker 1.
    static let roundTripOfEcho: [RuntimeEvent] = [
        // Readable: h0 h1, 1,000 ns after the base (2 bytes), task (2), worker (1), arg as the
        // offset 3 from the task (1).
        RuntimeEvent(time: 1_000_000 + 1_000, kind: .fdReady, task: 5_000, worker: 1, detail: 1, arg: 5_003),
        // Queued: h0 h1, 300 ns (2), the offset again, for this kind (1); the task is the last seen.
        RuntimeEvent(time: 1_000_000 + 1_300, kind: .scheduled, task: 5_000, worker: 1, detail: 1, arg: 5_003),
        // h0, 2,000 ns (2).
        RuntimeEvent(time: 1_000_000 + 3_300, kind: .runStarted, task: 5_000, worker: 1),
        // h0 h1, 40 ns (1), offset (1), 64 bytes (1).
        RuntimeEvent(time: 1_000_000 + 3_340, kind: .wrote, task: 5_000, worker: 1, arg: 5_003, extra: 64),
        // h0 h1 (detail 0: io), 60 ns (1), offset (1), interest 1 (1).
        RuntimeEvent(time: 1_000_000 + 3_400, kind: .parked, task: 5_000, worker: 1, arg: 5_003, extra: 1),
        // h0, 63 ns (1).
        RuntimeEvent(time: 1_000_000 + 3_463, kind: .runFinished, task: 5_000, worker: 1),
    ]

    /// The same round trip 10 µs later on the next connection (task 5010, fd 5013).
    static let nextRoundTrip = roundTripOfEcho.map { e in
        var next = e
        next.time += 10_000
        next.task += 10
        if next.arg != 0 { next.arg += 10 }
        return next
    }

    static func sizes(_ events: [RuntimeEvent]) -> [Int] {
        var ends: [Int] = []
        for i in events.indices {
            var bytes: [UInt8] = []
            CompactEvents.encode(Array(events[...i]), base: 1_000_000, into: &bytes)
            ends.append(bytes.count)
        }
        return zip(ends, [0] + ends).map { $0 - $1 }
    }

    @Test func aRoundTripOfEchoTrafficCostsItsLayoutsBytes() {
        let both = Self.roundTripOfEcho + Self.nextRoundTrip
        let sizes = Self.sizes(both)
        #expect(Array(sizes[..<6]) == [8, 5, 3, 5, 5, 2], "the first round trip: 28 bytes")
        // The next one finds its fd's offset and its extras known: only the new task (2) is new.
        #expect(Array(sizes[6...]) == [6, 4, 3, 3, 3, 2], "the next: 21 bytes, against 6 × 32 as RuntimeEvents")
        #expect(Self.roundTrip(both, base: 1_000_000) == both)
        // A worker parking right after: task 0, worker as before, 500 ns (2).
        let parking = RuntimeEvent(time: 1_000_000 + 13_963, kind: .workerParked, task: 0, worker: 1)
        #expect(Self.sizes(both + [parking]).last == 3)
    }

    @Test func noInputTrapsTheDecoder() {
        var bytes: [UInt8] = []
        CompactEvents.encode(Self.roundTripOfEcho, base: 1_000_000, into: &bytes)
        // Every cut: whole events decode, a cut inside one is refused.
        let boundaries: Set<Int> = [0, 8, 13, 16, 21, 26, 28]
        for cut in 0...bytes.count {
            var decoded: [RuntimeEvent] = []
            let sound = CompactEvents.decode(Array(bytes[..<cut]), base: 1_000_000, into: &decoded)
            #expect(sound == boundaries.contains(cut), "cut at \(cut)")
        }
        func refused(_ bytes: [UInt8]) -> Bool {
            var decoded: [RuntimeEvent] = []
            return !CompactEvents.decode(bytes, base: 0, into: &decoded)
        }
        #expect(refused([0x1F, 0x00]), "kind 31 is no kind")
        #expect(refused([0x14, 0x00]), "kind 20 is no kind")
        #expect(refused([0x80, 0x0C, 0x00]), "extra code 3")
        #expect(refused([0x00] + [UInt8](repeating: 0xFF, count: 10) + [0x01]), "a varint over ten bytes")
        #expect(refused([0x00] + [UInt8](repeating: 0xFF, count: 9) + [0x02]), "a varint over 64 bits")
        #expect(!refused([0x00] + [UInt8](repeating: 0xFF, count: 9) + [0x01]), "the largest varint")
        #expect(refused([0x60, 0x00]), "a task announced and missing")
        #expect(refused([0x80, 0x08, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10]), "an extra over 32 bits")
        #expect(refused([0x80, 0xE0, 0x00, 0x80, 0x80, 0x04]), "a detail over 16 bits")
        var limited: [RuntimeEvent] = []
        #expect(!CompactEvents.decode(bytes, base: 1_000_000, limit: 5, into: &limited), "six events, five expected")
        #expect(limited.count == 5)
        limited = []
        #expect(CompactEvents.decode(bytes, base: 1_000_000, limit: 6, into: &limited))
        #expect(limited == Self.roundTripOfEcho)
        // Any byte changed to any value: refused or decoded, never a trap.
        for i in bytes.indices {
            for v in [UInt8(0), 0x7F, 0x80, 0xFF, bytes[i] ^ 0x40] {
                var damaged = bytes
                damaged[i] = v
                var decoded: [RuntimeEvent] = []
                _ = CompactEvents.decode(damaged, base: 1_000_000, into: &decoded)
            }
        }
    }
}
