// EchoPanel: server address and mode, connections by tasks and threads, rates, latency, process memory.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct EchoPanelTests {
    @Test func wideRows() {
        #expect(
            Rendered().panel(\.echo) == [
                "─ Echo server 127.0.0.1:7000 · tasks: one per connection " + String(repeating: "─", count: 6),
                "conns 120 open (tasks 118, threads 2) · total 5,000 · errors 0",
                "12.3k round trips/s · 1.5 MiB/s · p50 35 µs · p99 120 µs",
                "synthetic clients 100 · accept backoffs 0 · process CPU 45%",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
            ])
    }

    @Test func compactRows() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.echo) == [
                "echo tasks · conns 120 open (tasks 118, threads 2) · 12.3k rt/s · p99 120 µs · p",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB · CPU 45% · clients 10",
            ])
    }

    @Test func threadModeAndErrors() {
        var snapshot = Fixtures.snapshot
        snapshot.echo.mode = .threads
        snapshot.echo.connectionErrors = 3
        let rendered = Rendered(snapshot)
        let rows = rendered.panel(\.echo)
        #expect(rows[0] == "─ Echo server 127.0.0.1:7000 · threads: one per connection ────")
        #expect(rows[1] == "conns 120 open (tasks 118, threads 2) · total 5,000 · errors 3")
        let rect = rendered.layout!.echo
        #expect(rendered.screen[rect.x + rows[1].count - 1, rect.y + 1].style == .warning)
    }
}
