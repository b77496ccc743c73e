// A runtime that serves its own telemetry (RuntimeConfiguration.telemetry, or RUNVIZ_TELEMETRY):
// a TelemetryEndpoint for `runviz attach`, fed by a RuntimeObserver, the rings' one consumer.
// Started last in `init` (a port in use fails the init, which shuts the runtime down) and stopped
// by `shutdown`: the observer first, whose last turn still reaches the viewers, then the endpoint.
// Such a program accepts no commands: the endpoint declines them and the viewer says so.

import RunvizLock
import RunvizTelemetry
import RunvizWire

struct AttachedTelemetry: Sendable {
    let endpoint: TelemetryEndpoint
    let observer: RuntimeObserver
}

extension RuntimeConfiguration {
    /// Where telemetry is served: `telemetry`, else the address in RUNVIZ_TELEMETRY (read from
    /// `environment`, the process's own when nil) if `telemetryFromEnvironment`; nil: nowhere.
    public func telemetryAddress(environment: [String: String]? = nil) throws(RuntimeError) -> TelemetryAddress? {
        if let telemetry { return telemetry }
        guard telemetryFromEnvironment else { return nil }
        do {
            if let environment { return try TelemetryAddress.fromEnvironment(environment) }
            return try TelemetryAddress.fromProcessEnvironment()
        } catch {
            throw .startFailed(error.description)
        }
    }
}

extension Runtime {
    /// The endpoint viewers attach to (nil: telemetry is off).
    public var telemetryEndpoint: TelemetryEndpoint? { attachedTelemetry.withLock { $0?.endpoint } }

    func startTelemetry(at address: TelemetryAddress) throws(RuntimeError) {
        let endpoint: TelemetryEndpoint
        do { endpoint = try TelemetryEndpoint(address: address) } catch { throw .startFailed(error.description) }
        let observer: RuntimeObserver
        do { observer = try RuntimeObserver(runtime: self, sinks: [endpoint]) } catch {
            endpoint.stop()
            throw error
        }
        endpoint.announce(observer.setup)
        attachedTelemetry.withLock { $0 = AttachedTelemetry(endpoint: endpoint, observer: observer) }
    }

    func stopTelemetry() {
        let attached = attachedTelemetry.withLock { held -> AttachedTelemetry? in
            defer { held = nil }
            return held
        }
        attached?.observer.stop()
        attached?.endpoint.stop()
    }
}
