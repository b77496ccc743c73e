// A program on the runviz runtime, watched (`runtime.watch`): with an address named in code, its
// Watch serves an endpoint whose viewers see its named tasks, and declines commands; from
// RUNVIZ_TELEMETRY, the address is read and a bad one is one error; and the runtime's shutdown
// stops the Watch.

import RunvizMetrics
import RunvizRuntime
import RunvizTestSupport
import RunvizWatch
import Testing

@testable import RunvizWire

@Suite struct RuntimeTelemetryTests {
    @Test func aRuntimeWithTelemetryShowsItsTasksToAViewer() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let watch = try runtime.watch(telemetry: .tcp(host: "127.0.0.1", port: 0))
        let endpoint = try #require(watch.telemetryEndpoint)
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
        #expect(watch.telemetryEndpoint == nil)
        #expect(AttachSessionTests.frame(source) { _ in !source.connected } != nil, "shutdown closes the endpoint")
    }

    @Test func telemetryAndMetricsShareTheRuntimesOneObserver() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        defer { runtime.shutdown() }
        let watch = try runtime.watch(telemetry: .tcp(host: "127.0.0.1", port: 0), metrics: MetricsAddress(port: 0))
        #expect(watch.metricsAddress != nil)
        #expect(watch.isObserving)
        let endpoint = try #require(watch.telemetryEndpoint)
        runtime.spawn(name: "shared-observer") { try await runtime.sleep(for: .seconds(30)) }
        let source = try AttachSource.attach(to: endpoint.address)
        #expect(AttachSessionTests.frame(source) { $0.runtime.tasks.contains { $0.name == "shared-observer" } } != nil)
    }

    @Test func aTelemetryPortInUseFailsTheWatchWithOneLineAndTheRuntimeRunsOn() throws {
        let first = try Runtime(RuntimeConfiguration(workers: 1))
        defer { first.shutdown() }
        let taken = try #require(
            try first.watch(telemetry: .tcp(host: "127.0.0.1", port: 0)).telemetryEndpoint?.address)
        let second = try Runtime(RuntimeConfiguration(workers: 1))
        defer { second.shutdown() }
        #expect(throws: RuntimeError.startFailed("cannot serve telemetry on \(taken): another program listens there")) {
            try second.watch(telemetry: taken)
        }
        #expect(try second.blockOn { 42 } == 42)
    }

    @Test func theEnvironmentNamesTheAddressUnlessTurnedOff() throws {
        #expect(try Watch.telemetryAddress(nil, environment: [:]) == nil)
        #expect(
            try Watch.telemetryAddress(nil, environment: ["RUNVIZ_TELEMETRY": "/tmp/x.sock"])
                == .unix(path: "/tmp/x.sock"))
        #expect(throws: RuntimeError.startFailed("RUNVIZ_TELEMETRY: '127.0.0.1:x' has no valid port (0-65535)")) {
            _ = try Watch.telemetryAddress(nil, environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:x"])
        }
        #expect(
            try Watch.telemetryAddress(nil, fromEnvironment: false, environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:9"])
                == nil)
        #expect(
            try Watch.telemetryAddress(
                .tcp(host: "127.0.0.1", port: 5), fromEnvironment: false,
                environment: ["RUNVIZ_TELEMETRY": "127.0.0.1:9"]) == .tcp(host: "127.0.0.1", port: 5))
    }
}
