// Where a runtime serves its own telemetry (RuntimeConfiguration.telemetry, or RUNVIZ_TELEMETRY):
// a TelemetryEndpoint for `runviz attach`, one more sink of the runtime's RuntimeObserver (the
// rings' one consumer), started last in `init` with the other endpoints and stopped by `shutdown`.
// Such a program accepts no commands: the endpoint declines them and the viewer says so.

import RunvizWire

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
