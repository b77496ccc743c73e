// A watched runtime (`runtime.watch(metrics:)`) serves its metrics itself, for a program that is
// not the runviz dashboard: the Watch's observer feeds the exporter, scrapes see its tasks' polls,
// a busy port fails the watch with one line, and the runtime's shutdown closes the endpoint.

import RunvizMetrics
import RunvizRuntime
import RunvizTestSupport
import RunvizWatch
import Testing

@Suite struct RuntimeMetricsTests {
    @Test func aConfiguredRuntimeServesItsOwnMetrics() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        let watch = try runtime.watch(metrics: MetricsAddress(port: 0), telemetryFromEnvironment: false)
        let address = try #require(watch.metricsAddress)
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
        #expect(watch.metricsAddress == nil)
        #expect(connectLoopback(port: address.port) == nil)
    }

    @Test func aBusyPortFailsTheWatchWithOneLine() throws {
        let first = try Runtime(RuntimeConfiguration(workers: 1))
        defer { first.shutdown() }
        let port = try #require(
            try first.watch(metrics: MetricsAddress(port: 0), telemetryFromEnvironment: false).metricsAddress
        ).port
        let second = try Runtime(RuntimeConfiguration(workers: 1))
        defer { second.shutdown() }
        #expect(
            throws: RuntimeError.startFailed(
                "cannot serve metrics on 127.0.0.1:\(port): port \(port) is already in use")
        ) {
            try second.watch(metrics: MetricsAddress(port: port), telemetryFromEnvironment: false)
        }
    }
}
