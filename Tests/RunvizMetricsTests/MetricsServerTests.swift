// The /metrics server on loopback: a scrape returns the registry's text, other paths 404, other
// methods 405, garbage 400, a head over the limit 431, a silent client 408 — each within its
// socket timeout, so a hang fails the test. A stuck client does not delay another's scrape, the
// client limit holds, and a port in use is one line.

import Glibc
import Prometheus
import RunvizMetrics
import RunvizTestSupport
import Testing

@Suite struct MetricsServerTests {
    static func server(limits: MetricsServer.Limits = MetricsServer.Limits()) throws -> MetricsServer {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "t", metricName: "scrapes", unitName: "total", helpText: "h")
        ).increment(by: Int64(3))
        return try MetricsServer(address: MetricsAddress(port: 0), registry: registry, limits: limits)
    }

    @Test func aScrapeReturnsTheExposition() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(server.address.port != 0)
        let reply = try #require(HTTPClient.get(port: server.address.port, "/metrics"))
        #expect(reply.status == 200)
        #expect(reply.head.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"))
        #expect(reply.body.contains("\nt_scrapes_total 3\n") || reply.body.hasPrefix("# HELP t_scrapes_total h\n"))
        #expect(reply.body.contains("t_scrapes_total 3\n"))
        let head = try #require(HTTPClient.get(port: server.address.port, "/metrics", method: "HEAD"))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func otherPathsMethodsAndGarbageGetTheirStatus() throws {
        let server = try Self.server()
        defer { server.stop() }
        let port = server.address.port
        #expect(HTTPClient.get(port: port, "/")?.status == 404)
        #expect(HTTPClient.get(port: port, "/favicon.ico")?.status == 404)
        #expect(HTTPClient.get(port: port, "/metrics", method: "POST")?.status == 405)
        #expect(HTTPClient.get(port: port, "/metrics", method: "DELETE")?.head.contains("Allow: GET, HEAD") == true)
        #expect(HTTPClient.exchange(port: port, Array("\u{01}\u{02} garbage\r\n\r\n".utf8))?.status == 400)
        #expect(HTTPClient.exchange(port: port, Array("GET /metrics HTTP/1.1\r\n\r\n".utf8))?.status == 200)
    }

    @Test func aTooLongRequestIsRefusedNotWaitedFor() throws {
        let server = try Self.server(limits: MetricsServer.Limits(maxRequestBytes: 1024))
        defer { server.stop() }
        let long = "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 100_000)
        let reply = try #require(HTTPClient.exchange(port: server.address.port, Array(long.utf8)))
        #expect(reply.status == 431)
        #expect(HTTPClient.get(port: server.address.port, "/metrics")?.status == 200)
    }

    @Test func aSilentClientTimesOutAndDoesNotDelayOthers() throws {
        let server = try Self.server(limits: MetricsServer.Limits(timeout: .milliseconds(500)))
        defer { server.stop() }
        let port = server.address.port
        // One client sends half a request and waits; another scrapes meanwhile.
        let stuck = try #require(connectLoopback(port: port) { setTimeouts($0, seconds: 5) })
        defer { close(stuck) }
        _ = "GET /met".withCString { send(stuck, $0, 8, Int32(MSG_NOSIGNAL)) }
        #expect(HTTPClient.get(port: port, "/metrics")?.status == 200)
        // The stuck one is answered 408 and closed once its time is up (well before its 5 s timeout).
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(stuck, &chunk, chunk.count, 0)
            if n <= 0 { break }
            reply += chunk[0..<n]
        }
        #expect(HTTPClient.parse(reply)?.status == 408)
    }

    @Test func clientsBeyondTheLimitAreClosedAndTheRestServed() throws {
        let server = try Self.server(limits: MetricsServer.Limits(maxClients: 2, timeout: .seconds(20)))
        defer { server.stop() }
        let port = server.address.port
        let held = (0..<2).compactMap { _ in connectLoopback(port: port) { setTimeouts($0, seconds: 5) } }
        defer { close(held[1]) }
        #expect(held.count == 2)
        // A third is accepted and closed at once: it reads end of file, not an answer.
        let third = try #require(connectLoopback(port: port) { setTimeouts($0, seconds: 5) })
        defer { close(third) }
        var byte: UInt8 = 0
        #expect(recv(third, &byte, 1, 0) <= 0)
        // Once one held client is answered and closes, a scrape is served again (well before the
        // other's 20 s are up).
        _ = "GET /metrics HTTP/1.1\r\n\r\n".withCString { send(held[0], $0, 25, Int32(MSG_NOSIGNAL)) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while recv(held[0], &chunk, chunk.count, 0) > 0 {}
        close(held[0])
        #expect(eventually(10) { HTTPClient.get(port: port, "/metrics")?.status == 200 })
    }

    @Test func aPortInUseIsOneLine() throws {
        let first = try Self.server()
        defer { first.stop() }
        let port = first.address.port
        #expect(throws: MetricsError.cannotListen("127.0.0.1:\(port)", reason: "port \(port) is already in use")) {
            _ = try MetricsServer(address: MetricsAddress(port: port), registry: PrometheusCollectorRegistry())
        }
        #expect(
            MetricsError.cannotListen("127.0.0.1:\(port)", reason: "port \(port) is already in use").description
                == "cannot serve metrics on 127.0.0.1:\(port): port \(port) is already in use")
    }

    @Test func stopIsIdempotentAndClosesThePort() throws {
        let server = try Self.server()
        let port = server.address.port
        server.stop()
        server.stop()
        #expect(connectLoopback(port: port) == nil)
    }
}
