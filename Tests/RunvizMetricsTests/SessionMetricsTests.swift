// The exporter as a sink of a live Session, scraped over HTTP like Prometheus would: the polls
// counter grows under the synthetic clients' load, the registered fds include the listener and
// the clients' connections, and while the blockWorker demo holds a worker, `runviz_blocked_workers`
// reads 1. The scrape runs on the server's thread while this thread is the session's observer.

import RunvizEcho
import RunvizMetrics
import RunvizRuntime
import RunvizSession
import RunvizTestSupport
import Testing

@Suite struct SessionMetricsTests {
    @Test func aLiveSessionIsScrapedAndFollowsTheRuntime() throws {
        let session = try Session(
            SessionConfiguration(
                runtime: RuntimeConfiguration(workers: 2), address: SocketAddress(host: "127.0.0.1", port: 0),
                syntheticClients: 2))
        defer { session.stop() }
        let runtime = session.runtime
        let endpoint = try MetricsEndpoint(
            address: MetricsAddress(port: 0),
            blockedThresholdNanos: session.observer.setup.configuration.blockedThresholdNanos,
            registeredFDs: { runtime.registeredFDs })
        defer { endpoint.stop() }
        session.sinks.append(endpoint.exporter)
        let port = endpoint.server.address.port

        var text = ""
        /// One observer turn, then a scrape; the value of `series` in it.
        func scrape(_ series: String) -> Double? {
            session.update(now: Runtime.now)
            text = HTTPClient.get(port: port, "/metrics")?.body ?? ""
            return sample(series, in: text)
        }
        func polls() -> Double? {
            guard let w0 = scrape(#"runviz_worker_polls_total{worker="0"}"#),
                let w1 = sample(#"runviz_worker_polls_total{worker="1"}"#, in: text)
            else { return nil }
            return w0 + w1
        }

        var first = 0.0
        #expect(
            eventually {
                first = polls() ?? 0; return first > 0
            }, "polls counted: \(text)")
        #expect(eventually { (polls() ?? 0) > first }, "polls grow: \(text)")
        // The listener and the server's end of each synthetic client's connection are registered
        // (the clients themselves are plain threads, outside the runtime).
        #expect(eventually { (scrape("runviz_registered_fds") ?? 0) >= 3 }, "fds: \(text)")
        #expect(scrape("runviz_blocked_workers") == 0)
        session.apply(.blockWorker)
        #expect(eventually { scrape("runviz_blocked_workers") == 1 }, "blocked: \(text)")
        #expect(sample("runviz_worker_busy_seconds_total{worker=\"0\"}", in: text) != nil)
    }
}
