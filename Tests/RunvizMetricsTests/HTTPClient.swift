// A plain blocking HTTP client for the server tests: sends raw bytes over loopback and reads the
// whole answer until the server closes, with socket timeouts so a broken server fails a test
// instead of hanging it.

import Glibc
import RunvizTestSupport

struct HTTPReply {
    var status: Int
    var head: String
    var body: String
}

enum HTTPClient {
    /// Sends `request` to 127.0.0.1:`port` and reads until the server closes (nil on a socket error
    /// or a timeout).
    static func exchange(port: UInt16, _ request: [UInt8], timeoutSeconds: Int = 5) -> HTTPReply? {
        guard let fd = connectLoopback(port: port, configure: { setTimeouts($0, seconds: timeoutSeconds) }) else {
            return nil
        }
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes {
                send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL))
            }
            // The server may answer (and stop reading) before a too-long request is all sent.
            if n <= 0 { break }
            sent += n
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            reply += chunk[0..<n]
        }
        return parse(reply)
    }

    static func get(port: UInt16, _ path: String, method: String = "GET") -> HTTPReply? {
        exchange(port: port, Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
    }

    static func parse(_ bytes: [UInt8]) -> HTTPReply? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<split.lowerBound])
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else { return nil }
        return HTTPReply(status: status, head: head, body: String(text[split.upperBound...]))
    }
}
