// The little of HTTP/1.1 the metrics endpoint speaks: a request head is read whole (up to the
// blank line) and answered with one response, then the connection closes. Pure functions of the
// bytes, so the answers to garbage, other methods and other paths are tested without sockets.

enum HTTPRequestHead {
    /// What the server answers a request with.
    enum Answer: Equatable {
        /// 200 with the metrics; `headOnly` for HEAD.
        case metrics(headOnly: Bool)
        case notFound(path: String)
        case methodNotAllowed(method: String)
        case badRequest(String)
        /// The head did not end within the size limit.
        case tooLarge
        /// The client was too slow to send its head.
        case timeout
    }

    /// Where the head ends (the index after its blank line), or nil while it has not.
    static func end(of bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 10 {
                if bytes[i + 1] == 10 { return i + 2 }
                if bytes[i + 1] == 13, i + 2 < bytes.count, bytes[i + 2] == 10 { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The answer to a complete head: `METHOD SP TARGET SP HTTP/1.x`, then `Name: value` lines.
    static func answer(_ head: ArraySlice<UInt8>) -> Answer {
        var lines = head.split(separator: 10, omittingEmptySubsequences: false).map { line in
            line.last == 13 ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, !first.isEmpty else { return .badRequest("no request line") }
        let parts = first.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .badRequest("the request line is not METHOD TARGET VERSION") }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy({ (65...90).contains($0) }) else {
            return .badRequest("the method is not an HTTP method")
        }
        guard version.elementsEqual("HTTP/1.1".utf8) || version.elementsEqual("HTTP/1.0".utf8) else {
            return .badRequest("not HTTP/1.0 or HTTP/1.1")
        }
        guard target.first == UInt8(ascii: "/"), target.allSatisfy({ (33...126).contains($0) }) else {
            return .badRequest("the target is not a path")
        }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line.allSatisfy({ $0 == 9 || (32...126).contains($0) })
            else { return .badRequest("a header line is not Name: value") }
        }
        let methodName = String(decoding: method, as: UTF8.self)
        guard methodName == "GET" || methodName == "HEAD" else { return .methodNotAllowed(method: methodName) }
        let path = target.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path.elementsEqual("/metrics".utf8) else {
            return .notFound(path: String(decoding: path, as: UTF8.self))
        }
        return .metrics(headOnly: methodName == "HEAD")
    }

    /// The response's status line and headers, and its body (empty for HEAD).
    static func response(_ answer: Answer, metrics: () -> [UInt8]) -> [UInt8] {
        let status: String
        let body: [UInt8]
        var contentType = "text/plain; charset=utf-8"
        var extra = ""
        var headOnly = false
        switch answer {
        case .metrics(let head):
            status = "200 OK"
            body = metrics()
            contentType = "text/plain; version=0.0.4; charset=utf-8"
            headOnly = head
        case .notFound(let path):
            status = "404 Not Found"
            body = Array("not found: \(path) (metrics are at /metrics)\n".utf8)
        case .methodNotAllowed(let method):
            status = "405 Method Not Allowed"
            body = Array("method \(method) not allowed: GET /metrics\n".utf8)
            extra = "Allow: GET, HEAD\r\n"
        case .badRequest(let why):
            status = "400 Bad Request"
            body = Array("bad request: \(why)\n".utf8)
        case .tooLarge:
            status = "431 Request Header Fields Too Large"
            body = Array("the request head is too large\n".utf8)
        case .timeout:
            status = "408 Request Timeout"
            body = Array("the request took too long\n".utf8)
        }
        var out = Array(
            ("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" + extra
                + "Connection: close\r\n\r\n").utf8)
        if !headOnly { out += body }
        return out
    }
}
