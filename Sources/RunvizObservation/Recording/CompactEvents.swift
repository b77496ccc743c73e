// A compact encoding of one observation's events, for the history: an event of echo traffic
// takes about 4 bytes instead of the 32 of a RuntimeEvent, because most of its fields are zero,
// repeat what came before (the task of the event before or the one before that: a wakeup, then
// the job it led to; a kind's fd as the same offset from its task; a kind's extra, the 64 bytes
// of every reply) or are small. Lossless: decoding gives back exactly the events encoded, in order.
//
// One event, in order:
//   h0       bits 0–4 the kind's wire code; bits 5–6 task: 0 zero, 1 the last nonzero task seen,
//            2 the one before it, 3 written; bit 7: h1 follows (it is not all zero).
//   h1       bits 0–1 arg: 0 zero, 1 task + this kind's last arg offset, 2 written, 3 written as
//            an offset from task (arg − task, zigzag); bits 2–3 extra: 0 zero, 1 this kind's last
//            extra, 2 written (3 is corrupt); bit 4: worker written (else the event before's);
//            bits 5–7 detail when below 7, 7: written.
//   time     zigzag varint of time − the event before's time (the first: − `base`).
//   task     varint, when its code is 3.     worker  one byte, when h1 bit 4.
//   arg      varint, when its code is 2 or 3. extra  varint, when its code is 2.
//   detail   varint, when h1's top bits are 7.
// A written arg sets its kind's offset (arg − task, wrapping); a written extra its kind's extra.
// Varints are LEB128 (7 bits a byte, low first). Before the first event: no task seen, worker
// `RuntimeEvent.noWorker`, offsets and extras 0, so each observation's bytes decode on their own.
//
// Invariant: the decoder never traps on any input; a malformed or truncated sequence is refused.

import RunvizTelemetry

enum CompactEvents {
    /// What the next event is encoded against.
    private struct Context {
        var time: UInt64
        /// The last two distinct nonzero tasks, newest first.
        var recent: (UInt64, UInt64) = (0, 0)
        var worker: UInt8 = RuntimeEvent.noWorker
        /// Per kind (by wire code): the last written arg's offset from its task, and the last written extra.
        var offsets = [UInt64](repeating: 0, count: 32)
        var extras = [UInt32](repeating: 0, count: 32)

        init(time: UInt64) { self.time = time }

        mutating func saw(task: UInt64) {
            guard task != 0, task != recent.0 else { return }
            recent = (task, recent.0)
        }
    }

    /// Appends `events`, encoded against `base` (a time near the first, e.g. the observation's).
    static func encode(_ events: [RuntimeEvent], base: UInt64, into bytes: inout [UInt8]) {
        var c = Context(time: base)
        for e in events {
            let k = Int(e.kind.wireCode)
            let taskCode: UInt8 = e.task == 0 ? 0 : e.task == c.recent.0 ? 1 : e.task == c.recent.1 ? 2 : 3
            let offset = e.arg &- e.task
            var argCode: UInt8 = 0
            if e.arg != 0 {
                if offset == c.offsets[k] {
                    argCode = 1
                } else {
                    let zigzag = Self.zigzag(offset)
                    argCode = length(zigzag) < length(e.arg) ? 3 : 2
                }
            }
            let extraCode: UInt8 = e.extra == 0 ? 0 : e.extra == c.extras[k] ? 1 : 2
            let workerWritten = e.worker != c.worker
            let detailCode: UInt8 = e.detail < 7 ? UInt8(e.detail) : 7
            let h1 = argCode | extraCode << 2 | (workerWritten ? 1 << 4 : 0) | detailCode << 5
            bytes.append(e.kind.wireCode | taskCode << 5 | (h1 != 0 ? 1 << 7 : 0))
            if h1 != 0 { bytes.append(h1) }
            varint(zigzag(e.time &- c.time), into: &bytes)
            if taskCode == 3 { varint(e.task, into: &bytes) }
            if workerWritten { bytes.append(e.worker) }
            if argCode == 2 { varint(e.arg, into: &bytes) }
            if argCode == 3 { varint(zigzag(offset), into: &bytes) }
            if argCode >= 2 { c.offsets[k] = offset }
            if extraCode == 2 {
                varint(UInt64(e.extra), into: &bytes)
                c.extras[k] = e.extra
            }
            if detailCode == 7 { varint(UInt64(e.detail), into: &bytes) }
            c.time = e.time
            c.worker = e.worker
            c.saw(task: e.task)
        }
    }

    private static func zigzag(_ v: UInt64) -> UInt64 {
        let signed = Int64(bitPattern: v)
        return UInt64(bitPattern: (signed << 1) ^ (signed >> 63))
    }

    private static func unzigzag(_ v: UInt64) -> UInt64 {
        UInt64(bitPattern: Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1))
    }

    private static func length(_ v: UInt64) -> Int { max(1, (64 - v.leadingZeroBitCount + 6) / 7) }

    private static func varint(_ value: UInt64, into bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends the events `bytes` encodes against `base` to `events`; false (and `events` left
    /// with those decoded before the fault) when the bytes are malformed or cut off, or hold more
    /// than `limit` events (a reader that knows how many to expect appends no more than that).
    @discardableResult
    static func decode(
        _ bytes: [UInt8], base: UInt64, limit: Int = .max, into events: inout [RuntimeEvent]
    ) -> Bool {
        bytes.withUnsafeBufferPointer { decode($0, base: base, limit: limit, into: &events) }
    }

    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, base: UInt64, limit: Int = .max, into events: inout [RuntimeEvent]
    ) -> Bool {
        var reader = Reader(bytes: bytes)
        var c = Context(time: base)
        var decoded = 0
        while reader.position < bytes.count {
            guard decoded < limit else { return false }
            decoded += 1
            guard let h0 = reader.byte(), let kind = RuntimeEvent.Kind(wireCode: h0 & 0x1F) else { return false }
            let k = Int(h0 & 0x1F)
            var h1: UInt8 = 0
            if h0 & 0x80 != 0 {
                guard let b = reader.byte() else { return false }
                h1 = b
            }
            guard let delta = reader.varint() else { return false }
            c.time = c.time &+ unzigzag(delta)
            var task: UInt64
            switch (h0 >> 5) & 3 {
            case 0: task = 0
            case 1: task = c.recent.0
            case 2: task = c.recent.1
            default:
                guard let v = reader.varint() else { return false }
                task = v
            }
            if h1 & (1 << 4) != 0 {
                guard let worker = reader.byte() else { return false }
                c.worker = worker
            }
            var arg: UInt64 = 0
            switch h1 & 3 {
            case 1: arg = task &+ c.offsets[k]
            case 2:
                guard let v = reader.varint() else { return false }
                arg = v
                c.offsets[k] = arg &- task
            case 3:
                guard let v = reader.varint() else { return false }
                c.offsets[k] = unzigzag(v)
                arg = task &+ c.offsets[k]
            default: break
            }
            var extra: UInt32 = 0
            switch (h1 >> 2) & 3 {
            case 1: extra = c.extras[k]
            case 2:
                guard let v = reader.varint(), let narrow = UInt32(exactly: v) else { return false }
                extra = narrow
                c.extras[k] = narrow
            case 3: return false
            default: break
            }
            var detail = UInt16(h1 >> 5)
            if detail == 7 {
                guard let v = reader.varint(), let narrow = UInt16(exactly: v) else { return false }
                detail = narrow
            }
            events.append(
                RuntimeEvent(
                    time: c.time, kind: kind, task: task, worker: c.worker, detail: detail, arg: arg, extra: extra))
            c.saw(task: task)
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
