// Writes Chrome Trace Event JSON text: the opening of the object, one event object at a time and the
// closing, into a buffer handed to the sink whenever it holds `chunkBytes` or more, so the text in
// memory is at most one chunk plus one event however long the trace. Timestamps are written from
// integer nanoseconds as microseconds with exactly three decimals, so no float rounding moves an
// event by a nanosecond on the way out. Strings are escaped as JSON requires (quote, backslash and
// every control character); other characters travel as their UTF-8, which JSON allows.

struct TraceEventWriter {
    /// Where full chunks go (a file, stdout, a test's buffer).
    let sink: ([UInt8]) throws -> Void
    let chunkBytes: Int
    /// Monotonic ns that timestamps count from (`at:` members).
    let origin: UInt64
    private var buffer: [UInt8] = []
    private var events = 0
    /// Bytes handed to the sink so far.
    private(set) var written = 0

    init(origin: UInt64, chunkBytes: Int, sink: @escaping ([UInt8]) throws -> Void) {
        self.origin = origin
        self.sink = sink
        self.chunkBytes = max(chunkBytes, 1)
        buffer.reserveCapacity(self.chunkBytes + 1024)
        text("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[")
    }

    /// Bytes waiting for the next chunk.
    var pendingBytes: Int { buffer.count }

    /// Starts one event object; `fields` writes its members after `"ph"`, each with `field`.
    mutating func event(_ phase: Character, _ fields: (inout TraceEventWriter) -> Void) throws {
        text(events == 0 ? "\n{\"ph\":\"" : ",\n{\"ph\":\"")
        buffer.append(contentsOf: String(phase).utf8)
        buffer.append(UInt8(ascii: "\""))
        events += 1
        fields(&self)
        buffer.append(UInt8(ascii: "}"))
        if buffer.count >= chunkBytes { try flush() }
    }

    /// Closes the array and the object and hands over what is left.
    mutating func finish() throws {
        text("\n]}\n")
        try flush()
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink(buffer)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: members

    mutating func field(_ key: String, string value: String) {
        name(key)
        string(value)
    }

    mutating func field(_ key: String, _ value: Int) {
        name(key)
        text(String(value))
    }

    mutating func field(_ key: String, _ value: UInt64) {
        name(key)
        text(String(value))
    }

    mutating func field(_ key: String, _ value: Bool) {
        name(key)
        text(value ? "true" : "false")
    }

    /// Monotonic `time` as microseconds since `origin` (negative before it).
    mutating func field(_ key: String, at time: UInt64) {
        field(key, micros: Int64(bitPattern: time &- origin))
    }

    /// `nanos` as microseconds, exactly: "-1.250" for -1,250 ns.
    mutating func field(_ key: String, micros nanos: Int64) {
        name(key)
        let magnitude = nanos.magnitude
        if nanos < 0 { buffer.append(UInt8(ascii: "-")) }
        text(String(magnitude / 1_000))
        buffer.append(UInt8(ascii: "."))
        let fraction = magnitude % 1_000
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// A nested object: `"key":{…}` with members written by `members`.
    mutating func field(_ key: String, object members: (inout TraceEventWriter) -> Void) {
        name(key)
        buffer.append(UInt8(ascii: "{"))
        let start = buffer.count
        members(&self)
        // The first member wrote a leading comma (see `name`); an object opens without one.
        if buffer.count > start, buffer[start] == UInt8(ascii: ",") { buffer.remove(at: start) }
        buffer.append(UInt8(ascii: "}"))
    }

    private mutating func name(_ key: String) {
        buffer.append(UInt8(ascii: ","))
        string(key)
        buffer.append(UInt8(ascii: ":"))
    }

    private mutating func text(_ s: String) { buffer.append(contentsOf: s.utf8) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` as a JSON string literal.
    mutating func string(_ s: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): text("\\\"")
            case UInt8(ascii: "\\"): text("\\\\")
            case UInt8(ascii: "\n"): text("\\n")
            case UInt8(ascii: "\r"): text("\\r")
            case UInt8(ascii: "\t"): text("\\t")
            case 0..<0x20:
                text("\\u00")
                buffer.append(Self.hex[Int(byte >> 4)])
                buffer.append(Self.hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
