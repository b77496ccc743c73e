// Lines from a TCP stream: reads chunks and hands back one line at a time, without its "\n".
// A line longer than `maxLine` bytes is an error (a peer speaking garbage cannot grow the buffer
// without bound); the bytes after the last newline at end of stream are the last line.

import RunvizRuntime

struct LineTooLong: Error, CustomStringConvertible {
    var description: String { "a line longer than \(LineReader.maxLine) bytes" }
}

struct LineReader {
    static let maxLine = 4096
    let stream: TCPStream
    private var buffered: [UInt8] = []
    private var ended = false

    init(_ stream: TCPStream) { self.stream = stream }

    /// The next line, or nil at end of stream.
    mutating func next() async throws -> String? {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            guard buffered.count <= Self.maxLine else { throw LineTooLong() }
            if ended {
                guard !buffered.isEmpty else { return nil }
                defer { buffered.removeAll() }
                return String(decoding: buffered, as: UTF8.self)
            }
            if let chunk = try await stream.read(maxBytes: 4096) {
                buffered += chunk
            } else {
                ended = true
            }
        }
    }
}
