// An exporter and the server that serves its registry, started and stopped together: what
// `runviz serve --metrics` and a watched runtime (`runtime.watch(metrics:)`) run. The exporter is the sink
// to hand an observer; the server answers scrapes on its own thread from the moment `init`
// returns (a busy port or a bad address throws first, and nothing is left running).

import Prometheus

public final class MetricsEndpoint: @unchecked Sendable {
    public let exporter: MetricsExporter
    public let server: MetricsServer

    public init(
        address: MetricsAddress, blockedThresholdNanos: UInt64, registeredFDs: (@Sendable () -> Int)? = nil,
        limits: MetricsServer.Limits = MetricsServer.Limits()
    ) throws(MetricsError) {
        exporter = MetricsExporter(blockedThresholdNanos: blockedThresholdNanos, registeredFDs: registeredFDs)
        server = try MetricsServer(address: address, registry: exporter.registry, limits: limits)
    }

    /// The scrape URL, with the port actually bound.
    public var url: String { server.address.url }

    /// Stops the server; the exporter only stops when its observer does. Idempotent.
    public func stop() { server.stop() }
}
