// Being watched, in one line: `try runtime.watch()`, as a tokio program calls
// `console_subscriber::init()`. A Watch is one RuntimeObserver thread (the event rings' one
// consumer) feeding the endpoints asked for: a TelemetryEndpoint for `runviz attach` (`telemetry`,
// else the address RUNVIZ_TELEMETRY names) and a Prometheus exporter with its server (`metrics`).
// The runtime names none of this: the Watch asks it, through `Runtime.onShutdown`, to be stopped
// first when it shuts down, so the last turn reaches every endpoint and the runtime keeps the Watch
// alive until then.
//
// Invariants: at most one Watch (or Session) per runtime, since the rings have one consumer; a
// Watch with nothing to serve starts no thread; a Watch never holds the runtime (its observer holds
// the telemetry hub), so a watched runtime can still be dropped. A start that fails stops whatever
// it started and throws; the runtime runs on, unwatched.

import RunvizLock
import RunvizMetrics
import RunvizObservation
import RunvizRuntime
import RunvizWire
import Synchronization

/// A runtime's own observer thread and the endpoints it feeds: telemetry for `runviz attach`,
/// metrics for Prometheus. Made by `Runtime.watch`; stopped by `stop` or by the runtime's shutdown.
public final class Watch: Sendable {
    private let parts: Lock<Parts>

    private struct Parts: Sendable {
        var observer: RuntimeObserver?
        var stops: [@Sendable () -> Void] = []
        var metrics: MetricsAddress?
        var telemetry: TelemetryEndpoint?
    }

    /// Where the metrics endpoint listens, with the port bound when port 0 was asked for (nil: none
    /// asked for, or stopped).
    public var metricsAddress: MetricsAddress? { parts.withLock { $0.metrics } }

    /// The endpoint `runviz attach` connects to (nil: none asked for, or stopped); its `address`
    /// has the port bound.
    public var telemetryEndpoint: TelemetryEndpoint? { parts.withLock { $0.telemetry } }

    /// Whether an observer thread runs (something was asked for and nothing is stopped yet).
    public var isObserving: Bool { parts.withLock { $0.observer != nil } }

    init(runtime: Runtime, telemetry: TelemetryAddress?, metrics: MetricsAddress?) throws(RuntimeError) {
        var sinks: [any ObservationSink] = []
        var bound = Parts()
        do {
            if let metrics {
                let endpoint = try MetricsEndpoint(
                    address: metrics, blockedThresholdNanos: runtime.configuration.blockedThreshold.nanoseconds,
                    registeredFDs: { [weak runtime] in runtime?.registeredFDs ?? 0 })
                sinks.append(endpoint.exporter)
                bound.stops.append { endpoint.stop() }
                bound.metrics = endpoint.server.address
            }
            if let telemetry {
                let endpoint = try TelemetryEndpoint(address: telemetry)
                sinks.append(endpoint)
                bound.stops.append { endpoint.stop() }
                bound.telemetry = endpoint
            }
            if !sinks.isEmpty {
                let observer = try RuntimeObserver(runtime: runtime, sinks: sinks)
                bound.telemetry?.announce(observer.setup)
                bound.observer = observer
            }
        } catch {
            for stop in bound.stops { stop() }
            throw error as? RuntimeError ?? .startFailed("\(error)")
        }
        parts = Lock(bound)
    }

    /// Stops the observer after one last turn, then every endpoint. Idempotent; not from a sink.
    public func stop() {
        let stopping = parts.withLock { p in
            defer { p = Parts() }
            return p
        }
        stopping.observer?.stop()
        for stop in stopping.stops { stop() }
    }

    deinit { stop() }

    /// Where telemetry is served: `telemetry`, else the address in RUNVIZ_TELEMETRY (read from
    /// `environment`, the process's own when nil) if `fromEnvironment`; nil: nowhere.
    public static func telemetryAddress(
        _ telemetry: TelemetryAddress?, fromEnvironment: Bool = true, environment: [String: String]? = nil
    ) throws(RuntimeError) -> TelemetryAddress? {
        if let telemetry { return telemetry }
        guard fromEnvironment else { return nil }
        do {
            if let environment { return try TelemetryAddress.fromEnvironment(environment) }
            return try TelemetryAddress.fromProcessEnvironment()
        } catch {
            throw .startFailed(error.description)
        }
    }
}

extension Runtime {
    /// Serves this runtime's telemetry to `runviz attach` at `telemetry` (nil: the address in
    /// RUNVIZ_TELEMETRY, like tokio-console's TOKIO_CONSOLE_BIND, unless `telemetryFromEnvironment`
    /// is false) and its metrics to Prometheus at `http://METRICS/metrics` (nil: none), from one
    /// observer thread of the Watch's own. With nothing to serve it starts nothing. The runtime
    /// stops the Watch first when it shuts down. Do not watch a runtime a Session observes: the
    /// event rings have one consumer. Throws when an endpoint cannot start (a port in use, a bad
    /// RUNVIZ_TELEMETRY) or the runtime has shut down; the runtime itself runs on.
    @discardableResult
    public func watch(
        telemetry: TelemetryAddress? = nil, metrics: MetricsAddress? = nil, telemetryFromEnvironment: Bool = true
    ) throws(RuntimeError) -> Watch {
        let address = try Watch.telemetryAddress(telemetry, fromEnvironment: telemetryFromEnvironment)
        let watch = try Watch(runtime: self, telemetry: address, metrics: metrics)
        guard onShutdown({ watch.stop() }) else {
            watch.stop()
            throw .shutDown
        }
        return watch
    }
}
