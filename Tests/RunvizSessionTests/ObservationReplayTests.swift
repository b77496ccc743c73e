// The seam every later frame source rests on: a live session's frames are a function of the
// observations it read. Captured through a sink and fed to a fresh Observer with the session's
// setup, the same observations rebuild every frame the session drew, equal field for field —
// with connections, demo tasks and a blocked worker in the run.

import Glibc
import RunvizEcho
import RunvizObservation
import RunvizRuntime
import RunvizSession
import RunvizTestSupport
import Testing

@Suite struct ObservationReplayTests {
    final class Capture: ObservationSink {
        var observations: [Observation] = []
        func record(_ observation: Observation) { observations.append(observation) }
        var recordingStatus: RecordingStatus? {
            RecordingStatus(path: "memory", observations: UInt64(observations.count))
        }
    }

    /// A live session that keeps the last minute for the rewind keys.
    static func sessionWithHistory() throws -> Session {
        var configuration = SessionTests.configuration()
        configuration.history = ObservationHistory.Limits(seconds: 60, bytes: 64 << 20)
        return try Session(configuration)
    }

    /// Spawns one demo task; the first frame that lists it, and its row.
    static func spawnDemoTask(on session: Session) throws -> (DashboardSnapshot, TaskSnapshot) {
        session.apply(.spawnTasks(count: 1))
        let spawned = try #require(
            SessionTests.frame(session) { $0.runtime.tasks.contains { $0.name.hasPrefix("demo-") } })
        return (spawned, try #require(spawned.runtime.tasks.first { $0.name.hasPrefix("demo-") }))
    }

    @Test func theSameObservationsRebuildTheSameFrames() throws {
        let session = try Session(SessionTests.configuration())
        defer { session.stop() }
        let capture = Capture()
        session.sinks = [capture]
        session.apply(.spawnTasks(count: 3))
        session.apply(.blockWorker)
        let fd = try #require(connectLoopback(port: session.server.address.port) { setTimeouts($0) })
        defer { close(fd) }
        var byte: UInt8 = 7
        var frames: [DashboardSnapshot] = []
        let until = Runtime.now + 1_300_000_000
        while Runtime.now < until {
            #expect(send(fd, &byte, 1, 0) == 1 && recv(fd, &byte, 1, 0) == 1)
            session.update(now: Runtime.now)
            frames.append(session.frame(now: Runtime.now))
            usleep(20_000)
        }
        #expect(frames.contains { f in f.runtime.workers.contains { $0.state.isBlocked } })
        #expect(frames.last.map { $0.echo.totalConnections >= 1 } == true)

        var observer = Observer(setup: session.observer.setup)
        let rebuilt = capture.observations.compactMap { observer.take($0) }
        #expect(rebuilt.count == frames.count)
        // The live frames also carry the sink's status; the rest must be equal field for field.
        for (i, (live, again)) in zip(
            frames.map { f in
                var f = f; f.recording = nil; return f
            }, rebuilt
        )
        .enumerated() where live != again {
            Issue.record("frame \(i) differs when rebuilt")
            break
        }
        #expect(observer == session.observer)
    }

    @Test func rewindingToAnInstantGivesTheFrameTheLiveViewHadThen() throws {
        let session = try Self.sessionWithHistory()
        defer { session.stop() }
        session.apply(.spawnTasks(count: 5))
        var frames: [DashboardSnapshot] = []
        let until = Runtime.now + 1_500_000_000
        while Runtime.now < until {
            session.update(now: Runtime.now)
            frames.append(session.frame(now: Runtime.now))
            usleep(30_000)
        }
        let span = try #require(session.history)
        #expect(span.oldest <= frames[0].runtime.takenAt, "the first turn, an update, comes just before")
        for (i, live) in frames.enumerated() {
            var past = try #require(session.frame(at: live.runtime.takenAt), "frame \(i) is in the window")
            var expected = live
            past.history = nil
            expected.history = nil
            #expect(past == expected, "frame \(i)")
        }
        #expect(frames.last?.history?.newest == frames.last?.runtime.takenAt)
    }

    @Test func followingATaskShowsItsStepsSinceTheOldestInstantHeld() throws {
        let session = try Self.sessionWithHistory()
        defer { session.stop() }
        let (_, task) = try Self.spawnDemoTask(on: session)
        usleep(100_000)
        _ = session.frame(now: Runtime.now)
        session.apply(.follow(task.id))
        let frame = session.frame(now: Runtime.now)
        let timeline = try #require(frame.timeline)
        #expect(timeline.task == task.id)
        #expect(timeline.entries.first?.step == .spawned, "the steps from before it was followed are there")
        #expect(timeline.entries.contains { if case .runStarted = $0.step { true } else { false } })
    }

    @Test func aTaskFollowedWhileRewoundShowsItsStepsUpToThatInstant() throws {
        let session = try Self.sessionWithHistory()
        defer { session.stop() }
        let (spawned, task) = try Self.spawnDemoTask(on: session)
        let instant = spawned.runtime.takenAt
        usleep(300_000)
        _ = session.frame(now: Runtime.now)
        session.apply(.follow(task.id))
        let past = try #require(session.frame(at: instant))
        let timeline = try #require(past.timeline)
        #expect(timeline.task == task.id)
        #expect(timeline.entries.first?.step == .spawned)
        #expect(timeline.entries.allSatisfy { $0.time <= instant }, "no step from after the instant")
        let now = try #require(session.frame(now: Runtime.now).timeline)
        #expect(now.entries.count >= timeline.entries.count)
    }
}
