// A program on the runviz runtime with telemetry on: configured in code, its runtime serves an
// endpoint whose viewers see its named tasks, and declines commands; configured from
// RUNVIZ_TELEMETRY, the address is read and a bad one is one error; and a Session's runtime never
// serves one of its own (the session is the rings' one consumer).

import RunvizEcho
import RunvizMetrics
import RunvizRuntime
import RunvizSession
import RunvizTelemetry
import RunvizTestSupport
import Testing

@testable import RunvizWire

@Suite struct RuntimeTelemetryTests {
    @Test func aRuntimeWithTelemetryShowsItsTasksToAViewer() throws {
        let runtime = try Runtime(
            RuntimeConfiguration(workers: 2, telemetry: .tcp(host: "127.0.0.1", port: 0)))
        defer { runtime.shutdown() }
        let endpoint = try #require(runtime.telemetryEndpoint)
        runtime.spawn(name: "library-sleeper") { try await runtime.sleep(for: .seconds(30)) }
        let source = try AttachSource.attach(to: endpoint.address)
        #expect(!source.acceptsCommands)
        let frame = AttachSessionTests.frame(source) { $0.runtime.tasks.contains { $0.name == "library-sleeper" } }
        let sleeper = frame?.runtime.tasks.first { $0.name == "library-sleeper" }
        if case .parked(.timer)? = sleeper?.state {
        } else {
            Issue.record("the sleeper parks on a timer: \(String(describing: sleeper?.state))")
        }
        #expect(frame?.runtime.configuration.workers == 2)
        runtime.shutdown()
        #expect(runtime.telemetryEndpoint == nil)
        #expect(AttachSessionTests.frame(source) { _ in !source.connected } != nil, "shutdown closes the endpoint")
    }

    @Test func telemetryAndMetricsShareTheRuntimesOneObserver() throws {
        let runtime = try Runtime(
            RuntimeConfiguration(
                workers: 1, metrics: MetricsAddress(port: 0), telemetry: .tcp(host: "127.0.0.1", port: 0)))
        defer { runtime.shutdown() }
        #expect(runtime.metricsAddress != nil)
        let endpoint = try #require(runtime.telemetryEndpoint)
        runtime.spawn(name: "shared-observer") { try await runtime.sleep(for: .seconds(30)) }
        let source = try AttachSource.attach(to: endpoint.address)
        #expect(AttachSessionTests.frame(source) { $0.runtime.tasks.contains { $0.name == "shared-observer" } } != nil)
    }

    @Test func aTelemetryPortInUseFailsTheRuntimeWithOneLine() throws {
        let first = try Runtime(RuntimeConfiguration(workers: 1, telemetry: .tcp(host: "127.0.0.1", port: 0)))
        defer { first.shutdown() }
        let taken = try #require(first.telemetryEndpoint?.address)
        #expect(throws: RuntimeError.startFailed("cannot serve telemetry on \(taken): another program listens there")) {
            _ = try Runtime(RuntimeConfiguration(workers: 1, telemetry: taken))
        }
    }

    @Test func theEnvironmentNamesTheAddressUnlessTurnedOff() throws {
        let configuration = RuntimeConfiguration(workers: 1)
        #expect(try configuration.telemetryAddress(environment: [:]) == nil)
        #expect(
            try configuration.telemetryAddress(environment: ["RUNVIZ_TELEMETRY": "/tmp/x.sock"])
                == .unix(path: "/tmp/x.sock"))
        #expect(throws: RuntimeError.startFailed("RUNVIZ_TELEMETRY: '127.0.0.1:x' has no valid port (0-65535)")) {
            _ = try configuration.telemetryAddress(environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:x"])
        }
        var off = configuration
        off.telemetryFromEnvironment = false
        #expect(try off.telemetryAddress(environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:9"]) == nil)
        var named = off
        named.telemetry = .tcp(host: "127.0.0.1", port: 5)
        #expect(
            try named.telemetryAddress(environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:9"])
                == .tcp(host: "127.0.0.1", port: 5))
    }

    @Test func aSessionsRuntimeServesNoTelemetryOfItsOwn() throws {
        let session = try Session(
            SessionConfiguration(
                runtime: RuntimeConfiguration(workers: 1, telemetry: .tcp(host: "127.0.0.1", port: 0)),
                address: SocketAddress(host: "127.0.0.1", port: 0)))
        defer { session.stop() }
        #expect(session.runtime.telemetryEndpoint == nil)
        #expect(!session.runtime.configuration.telemetryFromEnvironment)
    }
}
