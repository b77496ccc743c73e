// Facts about a live session, read through the frames it gives the dashboard: the frame describes
// the runtime it built (workers, echo address, instrumentation), commands reach the runtime (a
// spawned demo task appears, instrumentation switches off, a followed task gets a timeline), the
// summary counts the server's own tasks, and a port in use or a bad setting is one clear error.

import RunvizEcho
import RunvizRuntime
import RunvizSession
import RunvizTelemetry
import RunvizTestSupport
import Testing

@Suite struct SessionTests {
    static func configuration(workers: Int = 2, port: UInt16 = 0) -> SessionConfiguration {
        SessionConfiguration(
            runtime: RuntimeConfiguration(workers: workers), address: SocketAddress(host: "127.0.0.1", port: port),
            echoSampleInterval: .milliseconds(50))
    }

    /// Frames until `condition` holds (or 5 s pass); the last frame.
    static func frame(_ session: Session, until condition: (DashboardSnapshot) -> Bool) -> DashboardSnapshot? {
        var last: DashboardSnapshot?
        _ = eventually {
            last = session.frame(now: Runtime.now)
            return condition(last!)
        }
        return last.flatMap { condition($0) ? $0 : nil }
    }

    @Test func aFrameDescribesTheRuntimeTheSessionBuilt() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        let frame = try #require(Self.frame(session) { $0.runtime.tasks.contains { $0.name == "accept-loop" } })
        #expect(frame.runtime.configuration.workers == 2)
        #expect(frame.runtime.workers.count == 2)
        #expect(frame.runtime.configuration.instrumentation)
        #expect(frame.echo.address == session.server.address.description)
        #expect(session.server.address.port != 0, "port 0 binds a free port and the frame names it")
        #expect(frame.syntheticClients == 0)
        #expect(frame.runtime.fds.contains { $0.fd == session.server.listener.fd && $0.ownerName == "accept-loop" })
    }

    @Test func aSpawnCommandShowsItsTaskInALaterFrame() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        session.apply(.spawnTasks(count: 1))
        let frame = try #require(Self.frame(session) { $0.runtime.tasks.contains { $0.name.hasPrefix("demo-") } })
        #expect(frame.demos.lastAction?.hasPrefix("spawned t") == true)
    }

    @Test func instrumentationSwitchesOffAndTheCostReadsZero() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        session.apply(.toggleInstrumentation)
        #expect(!session.runtime.instrumentation)
        let frame = try #require(Self.frame(session) { !$0.runtime.configuration.instrumentation })
        #expect(frame.instrumentationCostNanos == 0)
        session.apply(.toggleInstrumentation)
        #expect(Self.frame(session) { $0.runtime.configuration.instrumentation } != nil)
    }

    @Test func aFollowedTaskHasATimeline() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        let first = try #require(Self.frame(session) { $0.runtime.tasks.contains { $0.name == "echo-stats" } })
        let stats = try #require(first.runtime.tasks.first { $0.name == "echo-stats" })
        session.apply(.follow(stats.id))
        // The stats task wakes on its timer every 50 ms: its timeline fills from events.
        let frame = try #require(Self.frame(session) { ($0.timeline?.entries.count ?? 0) >= 3 })
        #expect(frame.timeline?.task == stats.id)
        #expect(frame.timeline?.entries.contains { $0.step == .timerFired } == true)
        session.apply(.follow(nil))
        #expect(session.frame(now: Runtime.now).timeline == nil)
    }

    @Test func theSummaryCountsTheServersOwnTasks() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        #expect(eventually { session.summary(now: Runtime.now).liveTasks >= 2 }, "accept loop and echo statistics")
        let summary = session.summary(now: Runtime.now)
        #expect(summary.workers.count == 2)
        #expect(summary.registeredFDs >= 1, "the listener")
        #expect(summary.echo.openConnections == 0)
    }

    @Test func aPortInUseIsOneErrorNamingThePort() throws {
        let first = try Session(Self.configuration())
        defer { first.stop() }
        let taken = first.server.address
        #expect(throws: SessionError.portInUse(taken)) { try Session(Self.configuration(port: taken.port)) }
        #expect(
            "\(SessionError.portInUse(taken))"
                == "port \(taken.port) is in use on 127.0.0.1; stop the other server or pass --port")
    }

    @Test func aBadSettingIsRejectedBeforeAnythingStarts() {
        #expect(throws: SessionError.invalidSetting(.runtime(.workers), "must be between 1 and 64 (got 0)")) {
            try Session(Self.configuration(workers: 0))
        }
        #expect(
            "\(SessionError.invalidSetting(.syntheticClients, "must be positive"))"
                == "synthetic clients must be positive")
    }

    @Test func stopIsIdempotentAndShutsTheRuntimeDown() throws {
        let session = try Session(Self.configuration())
        session.stop()
        session.stop()
        #expect(session.runtime.isShutDown)
        #expect(session.server.listener.isClosed)
    }
}
