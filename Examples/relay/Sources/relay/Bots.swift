// Bots: clients on the same runtime that connect to the relay, subscribe to `chat` and publish a
// line every `every` (give or take a third), each reading what the relay sends. A bot counts the
// echoes of its own lines, so `received` proves the relay delivered what was published.

import RunvizRuntime
import Synchronization

final class Bots: Sendable {
    let runtime: Runtime
    let received = Atomic<Int>(0)
    let ownEchoes = Atomic<Int>(0)

    init(runtime: Runtime) { self.runtime = runtime }

    func start(count: Int, port: UInt16, every: Duration) {
        for b in 0..<count {
            runtime.spawn(name: "bot \(b)") { [self] in
                let stream = try await TCPStream.connect(
                    runtime: runtime, to: SocketAddress(host: "127.0.0.1", port: port))
                defer { stream.close() }
                try await stream.writeAll(Array("SUB chat\n".utf8))
                let reader = runtime.spawn(name: "bot \(b) reader") { [self] in
                    var lines = LineReader(stream)
                    while let line = try await lines.next() {
                        received.add(1, ordering: .relaxed)
                        if line.hasPrefix("MSG chat bot\(b):") { ownEchoes.add(1, ordering: .relaxed) }
                    }
                }
                defer { reader.cancel() }
                var said = 0
                let base = every.nanoseconds
                while true {
                    let jitter = Int64.random(in: -(base / 3)...(base / 3))
                    try await runtime.sleep(for: .nanoseconds(base + jitter))
                    said += 1
                    try await stream.writeAll(Array("PUB chat bot\(b): line \(said)\n".utf8))
                }
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, a) = components
        return s * 1_000_000_000 + a / 1_000_000_000
    }
}
