// A compact encoding of one observation's events, for the history: an event of echo traffic
// takes a handful of bytes instead of the 32 of a RuntimeEvent, because most of its fields are
// zero, repeat the event before (a job's task and worker, the fd a wakeup chain is about) or are
// small. Lossless: decoding gives back exactly the events encoded, in order.
//
// One event, in order:
//   h0       bits 0–4 the kind's wire code; bit 5: task is the event before's; bit 6: worker is the
//            event before's; bit 7: h1 follows (arg, extra or detail is not zero).
//   h1       bits 0–1 arg: 0 zero, 1 the event's task, 2 the last arg written out, 3 written out;
//            bits 2–3 extra: 0 zero, 1 the last extra written out, 2 written out (3 is corrupt);
//            bits 4–7 detail when below 15, 15: written out.
//   time     zigzag varint of time − the event before's time (the first: − `base`).
//   task     varint, unless h0 bit 5.    worker  one byte, unless h0 bit 6.
//   arg      varint, when its code is 3. extra   varint, when its code is 2.
//   detail   varint, when h1's top bits are 15.
// Varints are LEB128 (7 bits a byte, low first). Before the first event: task 0, worker
// `RuntimeEvent.noWorker`, arg and extra 0, so each observation's bytes decode on their own.
//
// Invariant: the decoder never traps on any input; a malformed or truncated sequence is refused.

import RunvizTelemetry

enum CompactEvents {
    private struct Context {
        var time: UInt64
        var task: UInt64 = 0
        var worker: UInt8 = RuntimeEvent.noWorker
        var arg: UInt64 = 0
        var extra: UInt32 = 0
    }

    /// Appends `events`, encoded against `base` (a time near the first, e.g. the observation's).
    static func encode(_ events: [RuntimeEvent], base: UInt64, into bytes: inout [UInt8]) {
        var c = Context(time: base)
        for e in events {
            var h0 = e.kind.wireCode
            if e.task == c.task { h0 |= 1 << 5 }
            if e.worker == c.worker { h0 |= 1 << 6 }
            let argCode: UInt8 = e.arg == 0 ? 0 : e.arg == e.task ? 1 : e.arg == c.arg ? 2 : 3
            let extraCode: UInt8 = e.extra == 0 ? 0 : e.extra == c.extra ? 1 : 2
            let detailCode: UInt8 = e.detail < 15 ? UInt8(e.detail) : 15
            let h1 = argCode | extraCode << 2 | detailCode << 4
            if h1 != 0 { h0 |= 1 << 7 }
            bytes.append(h0)
            if h1 != 0 { bytes.append(h1) }
            let delta = Int64(bitPattern: e.time &- c.time)
            varint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), into: &bytes)
            if e.task != c.task { varint(e.task, into: &bytes) }
            if e.worker != c.worker { bytes.append(e.worker) }
            if argCode == 3 {
                varint(e.arg, into: &bytes)
                c.arg = e.arg
            }
            if extraCode == 2 {
                varint(UInt64(e.extra), into: &bytes)
                c.extra = e.extra
            }
            if detailCode == 15 { varint(UInt64(e.detail), into: &bytes) }
            c.time = e.time
            c.task = e.task
            c.worker = e.worker
        }
    }

    private static func varint(_ value: UInt64, into bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends the events `bytes` encodes against `base` to `events`; false (and `events` left
    /// with those decoded before the fault) when the bytes are malformed or cut off.
    @discardableResult
    static func decode(_ bytes: [UInt8], base: UInt64, into events: inout [RuntimeEvent]) -> Bool {
        bytes.withUnsafeBufferPointer { decode($0, base: base, into: &events) }
    }

    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, base: UInt64, into events: inout [RuntimeEvent]
    ) -> Bool {
        var reader = Reader(bytes: bytes)
        var c = Context(time: base)
        while reader.position < bytes.count {
            guard let h0 = reader.byte(), let kind = RuntimeEvent.Kind(wireCode: h0 & 0x1F) else { return false }
            var h1: UInt8 = 0
            if h0 & 0x80 != 0 {
                guard let b = reader.byte() else { return false }
                h1 = b
            }
            guard let zigzag = reader.varint() else { return false }
            let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            c.time = c.time &+ UInt64(bitPattern: delta)
            if h0 & (1 << 5) == 0 {
                guard let task = reader.varint() else { return false }
                c.task = task
            }
            if h0 & (1 << 6) == 0 {
                guard let worker = reader.byte() else { return false }
                c.worker = worker
            }
            var arg: UInt64 = 0
            switch h1 & 3 {
            case 1: arg = c.task
            case 2: arg = c.arg
            case 3:
                guard let v = reader.varint() else { return false }
                arg = v
                c.arg = v
            default: break
            }
            var extra: UInt32 = 0
            switch (h1 >> 2) & 3 {
            case 1: extra = c.extra
            case 2:
                guard let v = reader.varint(), let narrow = UInt32(exactly: v) else { return false }
                extra = narrow
                c.extra = narrow
            case 3: return false
            default: break
            }
            var detail = UInt16(h1 >> 4)
            if detail == 15 {
                guard let v = reader.varint(), let narrow = UInt16(exactly: v) else { return false }
                detail = narrow
            }
            events.append(
                RuntimeEvent(
                    time: c.time, kind: kind, task: c.task, worker: c.worker, detail: detail, arg: arg, extra: extra))
        }
        return true
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        /// At most ten bytes, the tenth holding only the top bit of a UInt64.
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let b = byte() {
                let low = UInt64(b & 0x7F)
                if shift == 63 && low > 1 { return nil }
                value |= low << shift
                if b & 0x80 == 0 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
    }
}
