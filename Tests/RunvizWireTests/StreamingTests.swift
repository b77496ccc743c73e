// What viewers receive: two at once get the same observations; a stuck one (it never reads) is
// cut off with its drops counted while another keeps receiving everything and `record` keeps
// returning; a viewer joining late gets the names and the live tasks from before the window; and
// commands are queued for the owner, or declined with a notice when the program takes none.

import Glibc
import RunvizObservation
import RunvizTelemetry
import RunvizTestSupport
import Testing

@testable import RunvizWire

@Suite struct StreamingTests {
    @Test func twoViewersAtOnceGetTheSameObservations() throws {
        let endpoint = try HandshakeTests.endpoint()
        defer { endpoint.stop() }
        let a = try AttachConnection.open(to: endpoint.address)
        let b = try AttachConnection.open(to: endpoint.address)
        #expect(eventually { endpoint.status.viewers == 2 })
        var seenA: [Observation] = []
        var seenB: [Observation] = []
        var sent: [Observation] = []
        for i in 0..<40 {
            let o = WireFixtures.observation(i, events: 3, names: i == 2 ? ["alpha", "beta"] : [])
            sent.append(o)
            endpoint.record(o)
        }
        #expect(
            WireFixtures.step(a) {
                WireFixtures.drain(a, into: &seenA); return seenA.count == 40
            })
        #expect(
            WireFixtures.step(b) {
                WireFixtures.drain(b, into: &seenB); return seenB.count == 40
            })
        #expect(seenA == sent)
        #expect(seenB == sent)
        #expect(endpoint.status.viewers == 2)
        #expect(endpoint.status.cutOff == 0)
    }

    @Test func aStuckViewerIsCutOffAndCountedWhileAnotherKeepsReceiving() throws {
        let path = WireFixtures.socketPath("stuck")
        let endpoint = try TelemetryEndpoint(
            address: .unix(path: path), setup: WireFixtures.setup,
            limits: TelemetryEndpoint.Limits(viewerQueueBytes: 1 << 20))
        defer { endpoint.stop() }
        let stuck = try #require(RawPeer(endpoint.address))
        stuck.send(WireFormat.hello())
        let reader = try AttachConnection.open(to: endpoint.address)
        #expect(eventually { endpoint.status.viewers == 2 })
        var seen: [Observation] = []
        let total = 400
        for i in 0..<total {
            // About 32 KiB each: 12.5 MiB in all, far beyond the socket buffers and the 1 MiB queue.
            endpoint.record(WireFixtures.observation(i, events: 1000))
            // The reader keeps up: the next observation goes out once this one arrived.
            #expect(
                WireFixtures.step(reader) {
                    WireFixtures.drain(reader, into: &seen); return seen.count == i + 1
                })
        }
        #expect(seen.count == total, "the reader got every observation")
        let status = endpoint.status
        #expect(status.cutOff == 1)
        #expect(status.droppedBytes >= 1 << 20)
        #expect(status.droppedObservations >= 30)
        #expect(status.observations == UInt64(total))
        #expect(eventually { endpoint.status.viewers == 1 })
    }

    @Test func aLateViewerGetsTheNamesAndTheTasksAliveBeforeItsWindow() throws {
        let endpoint = try TelemetryEndpoint(
            address: .tcp(host: "127.0.0.1", port: 0), setup: WireFixtures.setup,
            limits: TelemetryEndpoint.Limits(replaySeconds: 2))
        defer { endpoint.stop() }
        let t0 = WireFixtures.setup.startedAt + 10_000_000
        let spawn = RuntimeEvent(time: t0, kind: .spawned, task: 7, extra: 0)
        let spawnShort = RuntimeEvent(time: t0 + 1, kind: .spawned, task: 8, extra: 1)
        let park = RuntimeEvent(
            time: t0 + 2, kind: .parked, task: 7, detail: UInt16(ParkKind.timer.rawValue), arg: t0 + 3_600_000_000_000)
        let finish = RuntimeEvent(time: t0 + 3, kind: .completed, task: 8)
        endpoint.record(
            WireFixtures.observation(0, names: ["sleeper", "short"], extra: [spawn, spawnShort, park, finish]))
        // 10 s of turns in which the sleeper never runs: far beyond the 2 s window.
        for i in 1..<200 { endpoint.record(WireFixtures.observation(i, events: 2)) }
        let source = AttachSource(connection: try AttachConnection.open(to: endpoint.address))
        var frame: DashboardSnapshot?
        var i = 200
        let sawSleeper = eventually {
            endpoint.record(WireFixtures.observation(i))
            i += 1
            frame = source.frame(now: 0)
            return frame!.runtime.tasks.contains { $0.name == "sleeper" }
        }
        #expect(sawSleeper)
        let sleeper = frame?.runtime.tasks.first { $0.name == "sleeper" }
        #expect(sleeper?.id == TaskID(7))
        #expect(sleeper?.state == .parked(.timer(deadline: t0 + 3_600_000_000_000)))
        #expect(frame?.runtime.tasks.contains { $0.id == TaskID(8) } == false, "a finished task is not revived")
        let span = try #require(source.history)
        #expect(span.seconds >= 1.9, "the window arrived whole: \(span.seconds) s")
        #expect(span.seconds <= 3.5)
    }

    @Test func commandsAreQueuedForTheOwnerOrDeclined() throws {
        let accepting = try HandshakeTests.endpoint(commands: true)
        defer { accepting.stop() }
        let viewer = try AttachConnection.open(to: accepting.address)
        #expect(viewer.acceptsCommands)
        viewer.send(.blockWorker)
        viewer.send(.spawnTasks(count: 3))
        var taken: [Command] = []
        #expect(
            eventually {
                taken += accepting.takeCommands(); return taken.count == 2
            })
        #expect(taken == [.blockWorker, .spawnTasks(count: 3)])

        let declining = try HandshakeTests.endpoint()
        defer { declining.stop() }
        let other = try AttachConnection.open(to: declining.address)
        #expect(!other.acceptsCommands)
        other.send(.blockWorker)
        #expect(WireFixtures.step(other) { !other.notices.isEmpty })
        #expect(
            other.notices == [
                "test target does not accept commands: keys that act on a runtime work against `runviz serve`"
            ])
        #expect(declining.takeCommands().isEmpty)
        #expect(declining.status.declinedCommands == 1)
    }
}

@Suite struct CutOffTests {
    @Test func aViewerThatFellBehindIsToldWhyItWasCutOff() throws {
        let endpoint = try TelemetryEndpoint(
            address: .unix(path: WireFixtures.socketPath("told")), setup: WireFixtures.setup,
            limits: TelemetryEndpoint.Limits(viewerQueueBytes: 256 << 10))
        defer { endpoint.stop() }
        let viewer = try AttachConnection.open(to: endpoint.address)
        // The viewer reads nothing while up to 6 MiB are recorded.
        var recorded = 0
        while recorded < 200 && endpoint.status.cutOff == 0 {
            endpoint.record(WireFixtures.observation(recorded, events: 1000))
            recorded += 1
        }
        #expect(endpoint.status.cutOff == 1)
        var seen: [Observation] = []
        #expect(
            WireFixtures.step(viewer) {
                WireFixtures.drain(viewer, into: &seen)
                if case .failed = viewer.phase { return true }
                return false
            })
        #expect(viewer.phase == .failed(.gone(endpoint.address.description)))
        #expect(viewer.notices.count == 1)
        #expect(viewer.notices.first?.hasPrefix("cut off: this viewer fell ") == true, "\(viewer.notices)")
        #expect(seen.count < recorded)
        #expect(seen == (0..<seen.count).map { WireFixtures.observation($0, events: 1000) })
    }
}
