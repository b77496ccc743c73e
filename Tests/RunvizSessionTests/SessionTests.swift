// Facts about a live session, read through the frames it gives the dashboard: the frame describes
// the runtime it built (workers, echo address, instrumentation), commands reach the runtime (a
// spawned demo task appears, instrumentation switches off, a followed task gets a timeline), the
// summary counts the server's own tasks, and a port in use or a bad setting is one clear error.

import Glibc
import RunvizEcho
import RunvizObservation
import RunvizRuntime
import RunvizSession
import RunvizTestSupport
import Testing

@Suite struct SessionTests {
    static func configuration(workers: Int = 2, port: UInt16 = 0) -> SessionConfiguration {
        SessionConfiguration(
            runtime: RuntimeConfiguration(workers: workers), address: SocketAddress(host: "127.0.0.1", port: port))
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
        session.apply(.spawnTasks(count: 1))
        let first = try #require(Self.frame(session) { $0.runtime.tasks.contains { $0.name.hasPrefix("demo-") } })
        let demo = try #require(first.runtime.tasks.first { $0.name.hasPrefix("demo-") })
        session.apply(.follow(demo.id))
        // The demo task sleeps on a runtime timer, then works: its timeline fills from events.
        let frame = try #require(
            Self.frame(session) { $0.timeline?.entries.contains { $0.step == .timerFired } == true })
        #expect(frame.timeline?.task == demo.id)
        #expect(frame.timeline?.entries.contains { $0.step == .timerFired } == true)
        session.apply(.follow(nil))
        #expect(session.frame(now: Runtime.now).timeline == nil)
    }

    @Test func theSummaryCountsTheServersOwnTasks() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        #expect(eventually { session.summary(now: Runtime.now).liveTasks >= 1 }, "the accept loop")
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

    @Test func switchingTheServerModeShowsInTheNextFrames() throws {
        let session = try Session(Self.configuration())
        defer { session.stop() }
        #expect(session.frame(now: Runtime.now).echo.mode == .tasks)
        session.apply(.toggleServerMode)
        #expect(Self.frame(session) { $0.echo.mode == .threads } != nil)
    }

    @Test func stopIsIdempotentAndShutsTheRuntimeDown() throws {
        let session = try Session(Self.configuration())
        session.stop()
        session.stop()
        #expect(session.runtime.isShutDown)
        #expect(session.server.listener.isClosed)
    }
}

/// The headline: with one worker, `b` stalls the server, and the frames say so while it lasts —
/// readiness seen and unanswered with a growing wait, no reply in a full second, round trips at 0 —
/// and afterwards the replies that waited carry the stall in their latency.
@Suite struct SessionStallTests {
    @Test func aBlockedOnlyWorkerReadsAsAStall() throws {
        let session = try Session(SessionTests.configuration(workers: 1))
        defer { session.stop() }
        let fd = try #require(connectLoopback(port: session.server.address.port) { setTimeouts($0) })
        defer { close(fd) }
        var byte: UInt8 = 7
        func roundTrip() -> Bool {
            guard send(fd, &byte, 1, 0) == 1 else { return false }
            return recv(fd, &byte, 1, 0) == 1
        }
        for _ in 0..<20 { #expect(roundTrip()) }
        #expect(eventually { session.server.stats.echoCount >= 20 }, "the server answered them all")

        session.apply(.blockWorker)
        #expect(SessionTests.frame(session) { $0.runtime.workers.first.map { $0.state.isBlocked } == true } != nil)
        #expect(send(fd, &byte, 1, 0) == 1)
        let stalled = try #require(
            SessionTests.frame(session) { f in
                f.runtime.replies.awaiting >= 1 && f.runtime.replies.oldestAwaitingNanos > 300_000_000
                    && f.runtime.replies.replies == 0 && f.echo.roundTripsPerSecond == 0
            }, "readiness is seen while the worker is blocked, and waits")
        #expect(stalled.runtime.replies.p99Nanos == nil)

        #expect(recv(fd, &byte, 1, 0) == 1, "answered once the block ends")
        let after = try #require(SessionTests.frame(session) { $0.runtime.replies.maxNanos ?? 0 > 300_000_000 })
        #expect(after.runtime.replies.replies >= 1)
    }
}

extension WorkerSnapshot.State {
    var isBlocked: Bool {
        if case .blocked = self { return true }
        return false
    }
}

/// Concept 9 on screen: the join demo's `async let` children are named by their parent, the parent
/// waits for them (not for "other"), and they end when they resume it, not ten seconds later.
@Suite struct SessionChildTaskTests {
    @Test func asyncLetChildrenAreTheirParentsAndEndWhenTheyResumeIt() throws {
        let session = try Session(SessionTests.configuration())
        defer { session.stop() }
        session.apply(.joinDemo)
        let waiting = try #require(
            SessionTests.frame(session) { f in
                f.runtime.tasks.contains { $0.name == "join-demo" && $0.liveChildren == 2 }
            })
        let parent = try #require(waiting.runtime.tasks.first { $0.name == "join-demo" })
        let children = waiting.runtime.tasks.filter { $0.isChild && $0.parent == parent.id }
        #expect(children.count == 2)
        #expect(children.allSatisfy { $0.name == "child of \(parent.id)" })
        #expect(!waiting.lints.contains { $0.kind == .lostWaker }, "a parent waiting for its children is not lost")
        #expect(SessionTests.frame(session) { $0.demos.join?.concurrentNanos != nil } != nil)
        // Within a second of the join the children read as ended (or are gone), not parked on "other".
        let ended = SessionTests.frame(session) { f in
            children.allSatisfy { child in
                guard let t = f.runtime.task(child.id) else { return true }
                return t.state == .completed
            }
        }
        #expect(ended != nil)
    }
}
