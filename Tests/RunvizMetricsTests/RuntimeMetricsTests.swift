// A runtime configured with `metrics` serves them itself, for a program that is not the runviz
// dashboard: its own observer feeds the exporter, scrapes see its tasks' polls, a busy port fails
// `init` with one line, and shutdown closes the endpoint.

import RunvizMetrics
import RunvizRuntime
import RunvizTestSupport
import Testing

@Suite struct RuntimeMetricsTests {
    @Test func aConfiguredRuntimeServesItsOwnMetrics() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1, metrics: MetricsAddress(port: 0)))
        let address = try #require(runtime.metricsAddress)
        #expect(address.port != 0)
        let rt = runtime
        runtime.spawn(name: "ticker") {
            for _ in 0..<1_000 { try await rt.sleep(for: .milliseconds(2)) }
        }
        var text = ""
        #expect(
            eventually {
                text = HTTPClient.get(port: address.port, "/metrics")?.body ?? ""
                return (sample(#"runviz_worker_polls_total{worker="0"}"#, in: text) ?? 0) > 10
            }, "\(text)")
        #expect(sample(#"runviz_tasks{state="waiting"}"#, in: text).map { $0 >= 0 } == true)
        runtime.shutdown()
        #expect(runtime.metricsAddress == nil)
        #expect(connectLoopback(port: address.port) == nil)
    }

    @Test func aBusyPortFailsTheRuntimeWithOneLine() throws {
        let first = try Runtime(RuntimeConfiguration(workers: 1, metrics: MetricsAddress(port: 0)))
        defer { first.shutdown() }
        let port = try #require(first.metricsAddress).port
        #expect(
            throws: RuntimeError.startFailed(
                "cannot serve metrics on 127.0.0.1:\(port): port \(port) is already in use")
        ) {
            _ = try Runtime(RuntimeConfiguration(workers: 1, metrics: MetricsAddress(port: port)))
        }
    }
}
