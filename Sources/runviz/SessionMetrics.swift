// A session's Prometheus endpoint from `--metrics HOST:PORT`: an exporter among the session's
// sinks (fed on the observer's thread, the serve or frame loop) and a server on a thread of its
// own, so scrapes are answered even while the runtime is stalled. A bad address or a busy port is
// one line (`Failure`) and a non-zero exit.

import RunvizMetrics
import RunvizSession

struct SessionMetrics {
    let endpoint: MetricsEndpoint

    /// Serves `session`'s metrics at `address` (nil: none); says where on stderr.
    static func start(_ session: Session, at address: String?) throws -> SessionMetrics? {
        guard let address else { return nil }
        let runtime = session.runtime
        do {
            let endpoint = try MetricsEndpoint(
                address: MetricsAddress(parsing: address),
                blockedThresholdNanos: session.observer.setup.configuration.blockedThresholdNanos,
                registeredFDs: { runtime.registeredFDs })
            session.sinks.append(endpoint.exporter)
            StandardError.write("runviz: Prometheus metrics at \(endpoint.url)\n")
            return SessionMetrics(endpoint: endpoint)
        } catch {
            throw Failure(error.description)
        }
    }

    func stop(_ session: Session) {
        session.sinks.removeAll { $0 === endpoint.exporter }
        endpoint.stop()
    }
}
