// Parsing HOST:PORT: loopback by default, IPv6 in brackets, and one clear line for anything else.

import RunvizMetrics
import Testing

@Suite struct MetricsAddressTests {
    @Test func addressesParse() throws {
        #expect(try MetricsAddress(parsing: "127.0.0.1:9464") == MetricsAddress(port: 9464))
        #expect(try MetricsAddress(parsing: "9464") == MetricsAddress(port: 9464))
        #expect(try MetricsAddress(parsing: ":0") == MetricsAddress(port: 0))
        #expect(try MetricsAddress(parsing: "localhost:80") == MetricsAddress(port: 80))
        #expect(try MetricsAddress(parsing: "0.0.0.0:9464") == MetricsAddress(host: "0.0.0.0", port: 9464))
        let v6 = try MetricsAddress(parsing: "[::1]:9464")
        #expect(v6 == MetricsAddress(host: "::1", port: 9464, isIPv6: true))
        #expect(v6.url == "http://[::1]:9464/metrics")
    }

    @Test func badAddressesAreOneLine() {
        func problem(_ text: String) -> String {
            do {
                _ = try MetricsAddress(parsing: text)
                return "parsed"
            } catch { return error.description }
        }
        #expect(
            problem("127.0.0.1:99999")
                == #"invalid metrics address "127.0.0.1:99999": the port must be a number from 0 to 65535 (expected HOST:PORT, e.g. 127.0.0.1:9464)"#
        )
        #expect(problem("127.0.0.1:").hasPrefix(#"invalid metrics address "127.0.0.1:": the port must be"#))
        #expect(problem("example.org:9464").contains(#""example.org" is not a numeric IP address or localhost"#))
        #expect(problem("::1:9464").contains("an IPv6 address needs brackets"))
        #expect(problem("[::1").contains("no ] after the IPv6 address"))
        #expect(!problem("127.0.0.1:-1").contains("parsed"))
    }
}
