// Facts about `runviz attach` and `serve --telemetry` run as subprocesses: a bad address is a
// usage error (exit 64); a refused connection, a peer that is no runviz endpoint (the echo server
// itself) and silence are each one line and exit 1, before any terminal is needed; `serve
// --telemetry` names its endpoint on stderr, and a second serve on the same address is one line.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: CLI.binary != nil, Comment(rawValue: CLI.notBuilt)))
struct AttachCommandTests {
    @Test(arguments: [
        (["attach", "nope"], "Error: address: 'nope' is not HOST:PORT, PORT or a Unix socket path (with a /)"),
        (["attach", "127.0.0.1:99999"], "Error: address: '127.0.0.1:99999' has no valid port (0-65535)"),
        (["attach", "example.com:80"], "Error: address: 'example.com' is not an IPv4 address or localhost"),
        (["attach", "127.0.0.1:0"], "Error: address: '127.0.0.1:0' has port 0; name the port to attach to"),
        (["attach", "--timeout-ms", "0"], "Error: --timeout-ms must be between 1 and 600000 (got 0)"),
        (
            ["serve", "--telemetry", "::1"],
            "Error: --telemetry: '::1': IPv6 addresses are not supported; use an IPv4 address or a socket path"
        ),
        (["serve", "--telemetry", "host:1"], "Error: --telemetry: 'host' is not an IPv4 address or localhost"),
    ])
    func badAddressesAreUsageErrors(_ arguments: [String], _ message: String) throws {
        try expectUsageError(arguments, message)
    }

    @Test func aRefusedConnectionIsOneLine() throws {
        let port = try freePort()
        let r = try runviz("attach", "127.0.0.1:\(port)", within: 5)
        #expect(r.status == 1)
        #expect(
            r.stderrLines == ["Error: cannot attach to 127.0.0.1:\(port): connection refused (nothing listens there)"])
        let path = "/tmp/runviz-attach-missing-\(getpid()).sock"
        let unix = try runviz("attach", path, within: 5)
        #expect(unix.status == 1)
        #expect(unix.stderrLines == ["Error: cannot attach to \(path): connection refused (nothing listens there)"])
    }

    @Test func silenceIsOneLineAfterTheTimeout() throws {
        let silent = try Listener()
        defer { silent.close() }
        let r = try runviz("attach", "127.0.0.1:\(silent.port)", "--timeout-ms", "300", within: 5)
        #expect(r.status == 1)
        #expect(
            r.stderrLines == [
                "Error: no answer from 127.0.0.1:\(silent.port) within the timeout: not a runviz telemetry endpoint?"
            ])
    }

    @Test func serveNamesItsEndpointAndTheEchoPortIsNoEndpoint() throws {
        let telemetry = try freePort()
        let serve = try Runviz(["serve", "--port", "0", "--telemetry", "127.0.0.1:\(telemetry)", "--duration", "8"])
        #expect(serve.waitForStderr(containing: "telemetry on"), "\(serve.stderr)")
        #expect(
            serve.stderr.contains(
                "runviz serve: telemetry on 127.0.0.1:\(telemetry) (runviz attach 127.0.0.1:\(telemetry))"))
        let echoPort = try #require(servedPort(serve.stderr))
        let r = try runviz("attach", "127.0.0.1:\(echoPort)", within: 5)
        #expect(r.status == 1)
        #expect(
            r.stderrLines == [
                "Error: 127.0.0.1:\(echoPort) is not a runviz telemetry endpoint: it sent the hello back (an echo server?)"
            ])
        let second = try runviz("serve", "--port", "0", "--telemetry", "127.0.0.1:\(telemetry)", within: 5)
        #expect(second.status == 1)
        #expect(
            second.stderrLines.last
                == "Error: cannot serve telemetry on 127.0.0.1:\(telemetry): another program listens there")
        serve.signal(SIGTERM)
        let done = try serve.finish(within: 5)
        #expect(done.status == 0, "\(done.stderr)")
    }
}
