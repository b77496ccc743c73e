// Nothing a peer sends can crash either side. The viewer's decoder is fed, over a real socket, a
// valid stream with random bytes flipped, cut at random points, or replaced by noise: it ends
// failed or at the end of the stream, having decoded only what was sent. The endpoint is sent
// random hellos and command frames by many connections and still serves a real viewer after.

import Glibc
import RunvizObservation
import RunvizTestSupport
import Testing

@testable import RunvizWire

@Suite struct FuzzTests {
    /// The answer and a stream of `count` observations, as an endpoint sends them.
    static func stream(_ count: Int) -> (bytes: [UInt8], sent: [Observation]) {
        var bytes = WireFormat.answer(accepted: true, acceptsCommands: true, text: "fuzz")
        let header = RecordingEncoder.header(WireFixtures.setup)
        bytes += WireFormat.frameHead(.data, length: header.count) + header
        var encoder = RecordingEncoder()
        var sent: [Observation] = []
        for i in 0..<count {
            let o = WireFixtures.observation(i, events: i % 4, names: i % 7 == 0 ? ["n\(i)"] : [])
            sent.append(o)
            let block = encoder.block(.observation(o))
            bytes += WireFormat.frameHead(.data, length: block.count) + block
            if i % 5 == 0 { bytes += WireFormat.notice("notice \(i)") }
        }
        return (bytes, sent)
    }

    /// Sends `bytes` to a fresh viewer over a socketpair and closes; what the viewer decoded.
    static func feed(_ bytes: [UInt8]) -> (observations: [Observation], phase: AttachConnection.Phase) {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { return ([], .connecting) }
        _ = fcntl(pair[0], F_SETFL, fcntl(pair[0], F_GETFL) | O_NONBLOCK)
        let viewer = AttachConnection(adopting: pair[0], address: .unix(path: "/fuzz"))
        var observations: [Observation] = []
        var offset = 0
        let writer = pair[1]
        // Written in pieces between steps, so every split point is exercised.
        while offset < bytes.count {
            let n = min(bytes.count - offset, Int.random(in: 1...3000))
            _ = bytes.withUnsafeBytes { send(writer, $0.baseAddress! + offset, n, Int32(MSG_NOSIGNAL)) }
            offset += n
            viewer.step()
            WireFixtures.drain(viewer, into: &observations)
            if case .failed = viewer.phase { break }
        }
        close(writer)
        _ = WireFixtures.step(viewer) {
            if case .failed = viewer.phase { return true }
            return false
        }
        WireFixtures.drain(viewer, into: &observations)
        return (observations, viewer.phase)
    }

    @Test func aCutStreamYieldsExactlyTheObservationsBeforeTheCut() {
        let (bytes, sent) = Self.stream(30)
        for _ in 0..<60 {
            let cut = Int.random(in: 0...bytes.count)
            let (got, phase) = Self.feed(Array(bytes[..<cut]))
            #expect(got == Array(sent.prefix(got.count)))
            if case .failed = phase {} else { Issue.record("a closed stream must end the viewer: \(phase)") }
        }
        let (whole, _) = Self.feed(bytes)
        #expect(whole == sent)
    }

    @Test func flippedBytesAndNoiseNeverCrashTheViewer() {
        let (bytes, sent) = Self.stream(30)
        for round in 0..<120 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...4) {
                let at = Int.random(in: 0..<damaged.count)
                damaged[at] ^= UInt8.random(in: 1...255)
            }
            if round % 4 == 0 { damaged = (0..<Int.random(in: 0...5000)).map { _ in UInt8.random(in: 0...255) } }
            if round % 4 == 1 {
                // A valid answer, then noise.
                damaged = Array(bytes.prefix(WireFormat.answerHeadBytes + 4))
                damaged += (0..<Int.random(in: 0...5000)).map { _ in UInt8.random(in: 0...255) }
            }
            let (got, phase) = Self.feed(damaged)
            for o in got { #expect(sent.contains(o), "only observations that were sent are decoded") }
            if case .failed = phase {} else { Issue.record("the viewer must end: \(phase)") }
        }
    }

    @Test func randomHellosAndCommandFramesNeverStopTheEndpoint() throws {
        let endpoint = try HandshakeTests.endpoint(commands: true)
        defer { endpoint.stop() }
        for round in 0..<40 {
            guard let peer = RawPeer(endpoint.address) else {
                Issue.record("cannot connect")
                continue
            }
            var bytes = (0..<Int.random(in: 0...300)).map { _ in UInt8.random(in: 0...255) }
            if round % 2 == 0 { bytes = WireFormat.hello() + bytes }
            peer.send(bytes)
        }
        endpoint.record(WireFixtures.observation(0))
        // The peers just closed may count against the viewer limit until the endpoint's next turns
        // see them go: the endpoint has not stopped as long as a viewer gets in within a few seconds.
        var attached: AttachConnection?
        for attempt in 1...250 where attached == nil {
            do {
                attached = try AttachConnection.open(to: endpoint.address)
            } catch {
                if attempt == 250 { throw error }
                usleep(20_000)
            }
        }
        let viewer = try #require(attached)
        var seen: [Observation] = []
        var i = 1
        #expect(
            WireFixtures.step(viewer) {
                endpoint.record(WireFixtures.observation(i))
                i += 1
                WireFixtures.drain(viewer, into: &seen)
                return seen.count >= 3
            })
        #expect(seen.first == WireFixtures.observation(0))
    }
}
