// A live Session streaming to a TelemetryEndpoint, watched through an AttachSource as `runviz
// attach` watches `runviz serve --telemetry`: the viewer's frames show the session's own tasks,
// a command sent through the viewer reaches the session (a blocked worker reads BLOCKED), and
// a viewer whose target restarts says it is reconnecting, then shows the new run.

import Foundation
import Glibc
import RunvizEcho
import RunvizObservation
import RunvizRuntime
import RunvizSession
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizWire

/// A session's loop on a thread of its own, as `serve` runs it: commands from viewers applied
/// between turns, a frame turn every fifth.
final class SessionLoop: @unchecked Sendable {
    let session: Session
    let endpoint: TelemetryEndpoint
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)

    init(_ session: Session, _ endpoint: TelemetryEndpoint) {
        self.session = session
        self.endpoint = endpoint
        session.sinks.append(endpoint)
        Thread { [self] in
            var turn = 0
            while running.load(ordering: .acquiring) {
                for command in self.endpoint.takeCommands() { self.session.apply(command) }
                turn += 1
                if turn % 5 == 0 {
                    _ = self.session.frame(now: Runtime.now)
                } else {
                    self.session.update(now: Runtime.now)
                }
                usleep(20_000)
            }
            finished.store(true, ordering: .releasing)
        }.start()
    }

    func stop() {
        running.store(false, ordering: .releasing)
        _ = eventually(10) { finished.load(ordering: .acquiring) }
        endpoint.stop()
        session.stop()
    }
}

@Suite struct AttachSessionTests {
    static func session() throws -> Session {
        try Session(
            SessionConfiguration(
                runtime: RuntimeConfiguration(workers: 2), address: SocketAddress(host: "127.0.0.1", port: 0)))
    }

    /// Frames of `source` until `condition` holds (10 s at most); the last frame.
    static func frame(_ source: AttachSource, until condition: (DashboardSnapshot) -> Bool) -> DashboardSnapshot? {
        var last: DashboardSnapshot?
        let held = eventually(10) {
            last = source.frame(now: Runtime.now)
            return condition(last!)
        }
        return held ? last : nil
    }

    @Test func theViewerShowsTheSessionsTasksAndItsCommandsBlockAWorker() throws {
        let session = try Self.session()
        let endpoint = try TelemetryEndpoint(
            address: .tcp(host: "127.0.0.1", port: 0), setup: session.observer.setup, acceptsCommands: true,
            target: "runviz serve (test)")
        let loop = SessionLoop(session, endpoint)
        defer { loop.stop() }
        let source = try AttachSource.attach(to: endpoint.address)
        #expect(source.target == "runviz serve (test)")
        #expect(source.acceptsCommands)
        let first = try #require(Self.frame(source) { $0.runtime.tasks.contains { $0.name == "accept-loop" } })
        #expect(first.runtime.configuration.workers == 2)
        #expect(first.echo.address == session.server.address.description)
        #expect(first.runtime.fds.contains { $0.fd == session.server.listener.fd && $0.ownerName == "accept-loop" })

        source.apply(.spawnTasks(count: 1))
        #expect(Self.frame(source) { $0.runtime.tasks.contains { $0.name.hasPrefix("demo-") } } != nil)
        source.apply(.blockWorker)
        let blocked = Self.frame(source) { frame in
            frame.runtime.workers.contains { if case .blocked = $0.state { return true } else { return false } }
        }
        #expect(blocked != nil, "a worker reads BLOCKED through the viewer")
        #expect(source.history != nil)
    }

    @Test func aTargetThatTakesNoCommandsIsNamedInTheNextFrame() throws {
        let endpoint = try HandshakeTests.endpoint()
        defer { endpoint.stop() }
        endpoint.record(WireFixtures.observation(0))
        let source = try AttachSource.attach(to: endpoint.address)
        source.apply(.blockWorker)
        let frame = source.frame(now: 1)
        #expect(
            frame.demos.lastAction
                == "test target does not accept commands: keys that act on a runtime work against `runviz serve --telemetry`"
        )
    }

    @Test func theViewerReconnectsWhenTheTargetRestarts() throws {
        let path = WireFixtures.socketPath("restart")
        var endpoint = try TelemetryEndpoint(address: .unix(path: path), setup: WireFixtures.setup, target: "first")
        endpoint.record(WireFixtures.observation(0))
        let source = try AttachSource.attach(to: .unix(path: path))
        var i = 1
        #expect(
            Self.frame(source) { _ in
                endpoint.record(WireFixtures.observation(i))
                i += 1
                return source.observations >= 3
            } != nil)
        endpoint.stop()
        let gone = Self.frame(source) { $0.demos.lastAction?.hasPrefix("target gone") == true }
        #expect(gone?.demos.lastAction?.contains("reconnecting") == true)
        #expect(gone?.runtime.workers.count == 2, "the last frame stays on screen")
        var second = WireFixtures.setup
        second.startedAt += 1
        endpoint = try TelemetryEndpoint(address: .unix(path: path), setup: second, target: "second")
        defer { endpoint.stop() }
        let back = Self.frame(source) { _ in
            endpoint.record(WireFixtures.observation(i))
            i += 1
            return source.reconnects == 1 && source.connected && source.observations > 3
        }
        #expect(back?.demos.lastAction == "reconnected to \(path) (second)")
        #expect(source.target == "second")
    }
}
