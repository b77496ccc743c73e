// The two primitives under the recording format: a writer appending little-endian fields to one
// growing byte array (no allocation per field or per event), and a reader over a block already
// in memory whose every read is bounds-checked and throws instead of trapping, so no input can
// crash the decoder. Every count the reader hands out has been checked against the bytes left,
// so a caller may reserve that many elements without trusting the input.

struct ByteWriter {
    var bytes: [UInt8]

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    /// A count as u32; counts beyond it cannot occur below `maxBlockBytes`, whose blocks the
    /// encoder refuses to make anyway (see RecordingEncoder).
    mutating func count(_ n: Int) { u32(UInt32(truncatingIfNeeded: n)) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A presence byte, then the value if there is one.
    mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
        if let v {
            u8(1)
            write(&self, v)
        } else {
            u8(0)
        }
    }
}

struct ByteReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// The stream offset of `bytes[0]`, for the offsets errors report.
    private let streamBase: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int, streamBase: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end
        self.streamBase = streamBase
    }

    var remaining: Int { end - position }

    /// A corruption at the current position, or at the value read `back` bytes before it.
    func corrupt(_ reason: String, back: Int = 0) -> RecordingError {
        .corrupt(offset: streamBase &+ position &- back, reason: reason)
    }

    private mutating func need(_ n: Int) throws(RecordingError) {
        guard n <= remaining else { throw corrupt("block ends inside a field") }
    }

    mutating func u8() throws(RecordingError) -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func little(_ n: Int) throws(RecordingError) -> UInt64 {
        try need(n)
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += n
        return v
    }

    mutating func u16() throws(RecordingError) -> UInt16 { UInt16(truncatingIfNeeded: try little(2)) }
    mutating func u32() throws(RecordingError) -> UInt32 { UInt32(truncatingIfNeeded: try little(4)) }
    mutating func u64() throws(RecordingError) -> UInt64 { try little(8) }
    mutating func f64() throws(RecordingError) -> Double { Double(bitPattern: try little(8)) }

    mutating func int() throws(RecordingError) -> Int {
        let wide = Int64(bitPattern: try little(8))
        guard let v = Int(exactly: wide) else { throw corrupt("integer out of range", back: 8) }
        return v
    }

    mutating func bool() throws(RecordingError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let b: throw corrupt("bad boolean \(b)", back: 1)
        }
    }

    /// A count of elements each at least `minimumBytes` long, refused when the block cannot hold them.
    mutating func count(minimumBytes: Int) throws(RecordingError) -> Int {
        let n = Int(exactly: try u32()) ?? Int.max
        let (total, overflow) = n.multipliedReportingOverflow(by: max(minimumBytes, 1))
        guard !overflow, total <= remaining else { throw corrupt("count \(n) over the bytes left", back: 4) }
        return n
    }

    /// The next `n` bytes, handed to `body` without a copy, then skipped.
    mutating func withBytes<R>(_ n: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(RecordingError) -> R {
        try need(n)
        let at = position
        position += n
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[at..<at + n])) }
    }

    mutating func string() throws(RecordingError) -> String {
        let n = try count(minimumBytes: 1)
        let s = String(validating: bytes[position..<position + n], as: UTF8.self)
        guard let s else { throw corrupt("string not UTF-8") }
        position += n
        return s
    }

    mutating func optional<T>(
        _ read: (inout ByteReader) throws(RecordingError) -> T
    ) throws(RecordingError) -> T? {
        switch try u8() {
        case 0: return nil
        case 1: return try read(&self)
        case let b: throw corrupt("bad presence byte \(b)", back: 1)
        }
    }
}
