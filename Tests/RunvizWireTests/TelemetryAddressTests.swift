// Parsing telemetry addresses: loopback unless another address is named, Unix socket paths by
// their slash, and one exact line for each kind of bad input (the environment variable's too).

import RunvizWire
import Testing

@Suite struct TelemetryAddressTests {
    @Test func portsAndHostsParseToLoopbackUnlessNamed() throws {
        #expect(try TelemetryAddress(parsing: "6669") == .tcp(host: "127.0.0.1", port: 6669))
        #expect(try TelemetryAddress(parsing: ":6669") == .tcp(host: "127.0.0.1", port: 6669))
        #expect(try TelemetryAddress(parsing: "localhost:7000") == .tcp(host: "127.0.0.1", port: 7000))
        #expect(try TelemetryAddress(parsing: "0.0.0.0:7000") == .tcp(host: "0.0.0.0", port: 7000))
        #expect(try TelemetryAddress(parsing: " 127.0.0.2:1 ") == .tcp(host: "127.0.0.2", port: 1))
        #expect(try TelemetryAddress(parsing: "/tmp/x.sock") == .unix(path: "/tmp/x.sock"))
        #expect(try TelemetryAddress(parsing: "./x.sock") == .unix(path: "./x.sock"))
        #expect(TelemetryAddress.standard.description == "127.0.0.1:6669")
        #expect(try TelemetryAddress(parsing: "0.0.0.0:1").isLocal == false)
    }

    @Test func badAddressesSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("", "empty telemetry address (expected HOST:PORT, PORT or a Unix socket path)"),
            ("abc", "'abc' is not HOST:PORT, PORT or a Unix socket path (with a /)"),
            ("127.0.0.1:", "'127.0.0.1:' has no valid port (0-65535)"),
            ("127.0.0.1:70000", "'127.0.0.1:70000' has no valid port (0-65535)"),
            ("127.0.0.1:-1", "'127.0.0.1:-1' has no valid port (0-65535)"),
            ("example.com:80", "'example.com' is not an IPv4 address or localhost"),
            ("[::1]:80", "'[::1]:80': IPv6 addresses are not supported; use an IPv4 address or a socket path"),
            (
                "/" + String(repeating: "a", count: 120),
                "socket path '/\(String(repeating: "a", count: 120))' is longer than 107 bytes"
            ),
        ]
        for (text, message) in cases {
            #expect(throws: TelemetryAddressError.self) { try TelemetryAddress(parsing: text) }
            do {
                _ = try TelemetryAddress(parsing: text)
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func theEnvironmentVariableIsReadAndItsProblemsNamed() throws {
        #expect(try TelemetryAddress.fromEnvironment([:]) == nil)
        #expect(try TelemetryAddress.fromEnvironment(["RUNVIZ_TELEMETRY": ""]) == nil)
        #expect(
            try TelemetryAddress.fromEnvironment(["RUNVIZ_TELEMETRY": "127.0.0.1:9"])
                == .tcp(host: "127.0.0.1", port: 9))
        do {
            _ = try TelemetryAddress.fromEnvironment(["RUNVIZ_TELEMETRY": "nope"])
            Issue.record("a bad RUNVIZ_TELEMETRY parsed")
        } catch {
            #expect(
                error.description == "RUNVIZ_TELEMETRY: 'nope' is not HOST:PORT, PORT or a Unix socket path (with a /)")
        }
    }
}
