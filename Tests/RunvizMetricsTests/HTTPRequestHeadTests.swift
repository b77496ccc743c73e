// The request head's answers as pure functions of the bytes: where a head ends, and which answer
// a request line and its headers get.

import Testing

@testable import RunvizMetrics

@Suite struct HTTPRequestHeadTests {
    static func answer(_ text: String) -> HTTPRequestHead.Answer {
        let bytes = Array(text.utf8)
        return HTTPRequestHead.answer(bytes[..<(HTTPRequestHead.end(of: bytes) ?? bytes.count)])
    }

    @Test func aHeadEndsAtItsBlankLine() {
        #expect(HTTPRequestHead.end(of: Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)) == nil)
        #expect(HTTPRequestHead.end(of: Array("GET / HTTP/1.1\r\n\r\nbody".utf8)) == 18)
        #expect(HTTPRequestHead.end(of: Array("GET / HTTP/1.0\n\n".utf8)) == 16)
    }

    @Test func requestsGetTheirAnswers() {
        #expect(Self.answer("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n") == .metrics(headOnly: false))
        #expect(Self.answer("GET /metrics?x=1 HTTP/1.0\r\n\r\n") == .metrics(headOnly: false))
        #expect(Self.answer("HEAD /metrics HTTP/1.1\r\n\r\n") == .metrics(headOnly: true))
        #expect(Self.answer("GET / HTTP/1.1\r\n\r\n") == .notFound(path: "/"))
        #expect(Self.answer("GET /metricsx HTTP/1.1\r\n\r\n") == .notFound(path: "/metricsx"))
        #expect(Self.answer("POST /metrics HTTP/1.1\r\n\r\n") == .methodNotAllowed(method: "POST"))
        #expect(Self.answer("\r\n\r\n") == .badRequest("no request line"))
        #expect(Self.answer("hello\r\n\r\n") == .badRequest("the request line is not METHOD TARGET VERSION"))
        #expect(Self.answer("get /metrics HTTP/1.1\r\n\r\n") == .badRequest("the method is not an HTTP method"))
        #expect(Self.answer("GET /metrics HTTP/2\r\n\r\n") == .badRequest("not HTTP/1.0 or HTTP/1.1"))
        #expect(Self.answer("GET metrics HTTP/1.1\r\n\r\n") == .badRequest("the target is not a path"))
        #expect(
            Self.answer("GET /metrics HTTP/1.1\r\nno colon\r\n\r\n") == .badRequest("a header line is not Name: value"))
    }

    @Test func aResponseSaysItsLengthAndClosesAndHeadHasNoBody() {
        let get = String(
            decoding: HTTPRequestHead.response(.metrics(headOnly: false)) { Array("a 1\n".utf8) }, as: UTF8.self)
        #expect(
            get
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\na 1\n")
        let head = String(
            decoding: HTTPRequestHead.response(.metrics(headOnly: true)) { Array("a 1\n".utf8) }, as: UTF8.self)
        #expect(head.hasSuffix("Content-Length: 4\r\nConnection: close\r\n\r\n"))
        let notAllowed = String(
            decoding: HTTPRequestHead.response(.methodNotAllowed(method: "PUT")) { [] }, as: UTF8.self)
        #expect(notAllowed.contains("\r\nAllow: GET, HEAD\r\n"))
    }
}
