// The relay: a listener task accepts connections and starts a named task per connection. A
// connection speaks lines: `SUB topic`, `PUB topic text`, `QUIT`. The topic table is shared by
// every connection and guarded by an AsyncMutex (a task waiting for it parks, its worker runs
// others). Each subscriber has a bounded Channel as its outbox and a writer task draining it to
// the socket, so a slow reader parks the publishers (backpressure) instead of growing a buffer.
// A ticker task publishes the time on topic `clock` every `tick`, on the runtime's timers.
//
// With `audit` set to `.inline`, every published message is first "audited" by a blocking call
// made inside the task: the pitfall of blocking in async, which stalls the worker and everything
// queued behind it. `.pool` makes the same call through `spawnBlocking`, the right way.

import Glibc
import RunvizRuntime
import Synchronization

enum Audit: String, CaseIterable {
    case off, inline, pool
}

final class Relay: Sendable {
    let runtime: Runtime
    let listener: TCPListener
    let audit: Audit
    /// Topic → subscribers' outboxes; read and changed only while `tableLock` is held.
    private let tableLock = AsyncMutex()
    private nonisolated(unsafe) var table: [String: [Int: Channel<String>]] = [:]
    private let nextConnection = Atomic<Int>(0)
    let published = Atomic<Int>(0)
    let delivered = Atomic<Int>(0)

    init(runtime: Runtime, port: UInt16, audit: Audit) throws {
        self.runtime = runtime
        self.audit = audit
        listener = try TCPListener(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: port))
    }

    /// Starts the listener's accept loop and the ticker.
    func start(tick: Duration) {
        runtime.spawn(name: "relay listener") { [self] in
            while true {
                let stream = try await listener.accept()
                let n = nextConnection.wrappingAdd(1, ordering: .relaxed).newValue
                runtime.spawn(name: "connection \(n)") { [self] in
                    defer { stream.close() }
                    try await serve(stream, connection: n)
                }
            }
        }
        runtime.spawn(name: "ticker") { [self] in
            var ticks = 0
            while true {
                try await runtime.sleep(for: tick)
                ticks += 1
                await publish("tick \(ticks)", on: "clock")
            }
        }
    }

    private func serve(_ stream: TCPStream, connection n: Int) async throws {
        var lines = LineReader(stream)
        var subscribed: [String] = []
        let outbox = try Channel<String>(capacity: 64)
        let writer = runtime.spawn(name: "writer \(n)") {
            while let message = try await outbox.receive() { try await stream.writeAll(Array((message + "\n").utf8)) }
        }
        defer {
            outbox.close()
            writer.cancel()
        }
        do {
            while let line = try await lines.next() {
                let words = line.split(separator: " ", maxSplits: 2).map(String.init)
                switch words.first {
                case "SUB" where words.count == 2:
                    try await tableLock.withLock { table[words[1], default: [:]][n] = outbox }
                    subscribed.append(words[1])
                    try await outbox.send("OK subscribed \(words[1])")
                case "PUB" where words.count == 3:
                    try await auditMessage(words[2])
                    await publish(words[2], on: words[1])
                case "QUIT":
                    return
                default:
                    try await outbox.send("ERR expected SUB topic, PUB topic text or QUIT")
                }
            }
        } catch is LineTooLong {
            try? await outbox.send("ERR line too long")
        }
        try await tableLock.withLock { for topic in subscribed { table[topic]?[n] = nil } }
    }

    /// Hands `text` to every subscriber of `topic`; a full outbox parks the publisher until it drains.
    private func publish(_ text: String, on topic: String) async {
        guard let outboxes = try? await tableLock.withLock({ Array(table[topic, default: [:]].values) }) else { return }
        published.add(1, ordering: .relaxed)
        for outbox in outboxes where (try? await outbox.send("MSG \(topic) \(text)")) != nil {
            delivered.add(1, ordering: .relaxed)
        }
    }

    /// The audit of one message: a blocking call (20 ms, as a synchronous disk or DNS call can take).
    private func auditMessage(_ text: String) async throws {
        switch audit {
        case .off: return
        case .inline: Self.blockingAuditCall(text)
        case .pool: try await runtime.spawnBlocking(name: "audit") { Self.blockingAuditCall(text) }
        }
    }

    private static func blockingAuditCall(_ text: String) { usleep(20_000) }
}
