// The handshake and the listener: a viewer of another wire version is refused with a line it
// prints; a peer that is no endpoint (an echo server, a closed port, silence) is told apart; the
// Unix socket is private (0600), a stale socket file is replaced and a live one is not.

import CRunvizLinux
import Foundation
import Glibc
import RunvizTestSupport
import Testing

@testable import RunvizWire

@Suite struct HandshakeTests {
    static func endpoint(_ address: TelemetryAddress = .tcp(host: "127.0.0.1", port: 0), commands: Bool = false)
        throws -> TelemetryEndpoint
    {
        try TelemetryEndpoint(
            address: address, setup: WireFixtures.setup, acceptsCommands: commands, target: "test target")
    }

    @Test func aViewerOfAnotherVersionIsRefusedWithALine() throws {
        let endpoint = try Self.endpoint()
        defer { endpoint.stop() }
        #expect(
            throws: AttachError.declined(
                endpoint.address.description,
                "this endpoint speaks telemetry wire version 1 and the viewer 7: attach with the runviz that runs the program"
            )
        ) {
            _ = try AttachConnection.open(to: endpoint.address, helloVersion: 7)
        }
        #expect(endpoint.status.refused == 1)
        #expect(endpoint.status.viewers == 0)
    }

    @Test func aViewerOfThisVersionGetsTheHeaderAndTheTarget() throws {
        let endpoint = try Self.endpoint()
        defer { endpoint.stop() }
        endpoint.record(WireFixtures.observation(0))
        let viewer = try AttachConnection.open(to: endpoint.address)
        #expect(viewer.target == "test target")
        #expect(!viewer.acceptsCommands)
        #expect(viewer.setup == nil || viewer.setup == WireFixtures.setup)
        endpoint.record(WireFixtures.observation(1))
        #expect(WireFixtures.step(viewer) { viewer.setup == WireFixtures.setup && viewer.items.count >= 1 })
    }

    @Test func somethingThatIsNoEndpointIsNamed() throws {
        // An echo server sends the hello back.
        let listener = try #require(try? WireSocket.listen(.tcp(host: "127.0.0.1", port: 0)))
        defer { close(listener.0) }
        let echo = Thread {
            var fd: Int32 = -1
            _ = eventually {
                fd = runviz_accept4(listener.0); return fd >= 0
            }
            _ = runviz_set_blocking(fd)
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = recv(fd, &buffer, 64, 0)
            if n > 0 { _ = send(fd, buffer, n, 0) }
            usleep(200_000)
            close(fd)
        }
        echo.start()
        #expect(
            throws: AttachError.notAnEndpoint(
                listener.1.description, "it sent the hello back (an echo server?)")
        ) {
            _ = try AttachConnection.open(to: listener.1)
        }
    }

    @Test func aClosedPortIsRefusedAndSilenceTimesOut() throws {
        let listener = try #require(try? WireSocket.listen(.tcp(host: "127.0.0.1", port: 0)))
        let port = listener.1
        close(listener.0)
        #expect(throws: AttachError.refused(port.description)) { _ = try AttachConnection.open(to: port) }
        let path = WireFixtures.socketPath("missing")
        #expect(throws: AttachError.refused(path)) { _ = try AttachConnection.open(to: .unix(path: path)) }
        let silent = try #require(try? WireSocket.listen(.tcp(host: "127.0.0.1", port: 0)))
        defer { close(silent.0) }
        #expect(throws: AttachError.timedOut(silent.1.description)) {
            _ = try AttachConnection.open(to: silent.1, timeoutMillis: 300)
        }
    }

    @Test func theUnixSocketIsPrivateAndAStaleOneIsReplaced() throws {
        let path = WireFixtures.socketPath("mode")
        // A stale socket file: bound, then its listener gone.
        let stale = try #require(try? WireSocket.listen(.unix(path: path)))
        close(stale.0)
        let endpoint = try Self.endpoint(.unix(path: path))
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(throws: TelemetryEndpointError.inUse(path)) { _ = try Self.endpoint(.unix(path: path)) }
        endpoint.record(WireFixtures.observation(0))
        let viewer = try AttachConnection.open(to: .unix(path: path))
        #expect(viewer.target == "test target")
        endpoint.stop()
        #expect(access(path, F_OK) != 0, "stop removes the socket file")
        let file = WireFixtures.socketPath("file")
        let fd = open(file, O_CREAT | O_WRONLY, 0o600)
        close(fd)
        defer { unlink(file) }
        #expect(throws: TelemetryEndpointError.notASocket(file)) { _ = try Self.endpoint(.unix(path: file)) }
    }

    @Test func aPortInUseIsOneError() throws {
        let endpoint = try Self.endpoint()
        defer { endpoint.stop() }
        #expect(throws: TelemetryEndpointError.inUse(endpoint.address.description)) {
            _ = try Self.endpoint(endpoint.address)
        }
    }
}
