// The `/metrics` endpoint: a small HTTP/1.1 server on a thread of its own, with plain non-blocking
// sockets and poll(2) — never the observed runtime, so a scrape is answered while the runtime is
// stalled (and shows the stall). One request per connection: the head is read whole, answered
// (200 with the registry's text, 404, 405, 400, 431 for a head over `maxRequestBytes`, 408 for a
// client slower than `timeout`), then the write side closes and what the client still sends is
// drained until it closes too, so the answer is not lost to a reset.
//
// Bounded: at most `maxClients` connections (more are closed at once), `maxRequestBytes` per
// head, and every connection gets `timeout` from its accept to its end; a slow or stuck client
// holds one slot for that long and never delays the others, since nothing here blocks but poll.
// `stop` wakes the thread through an eventfd and joins it; idempotent, and deinit calls it.

import CRunvizLinux
import Glibc
import Prometheus
import RunvizLock
import RunvizSystem

public final class MetricsServer: @unchecked Sendable {
    // @unchecked: the listener and the connections belong to the server thread; the owner only
    // writes the eventfd and joins.

    public struct Limits: Sendable, Equatable {
        public var maxClients: Int
        public var maxRequestBytes: Int
        public var timeout: Duration
        public init(maxClients: Int = 32, maxRequestBytes: Int = 8192, timeout: Duration = .seconds(5)) {
            self.maxClients = maxClients
            self.maxRequestBytes = maxRequestBytes
            self.timeout = timeout
        }
    }

    /// Where it listens, with the port the kernel chose when asked for port 0.
    public let address: MetricsAddress
    public let limits: Limits
    private let loop: Loop
    private let thread: OSThread
    private let stopped = Lock(false)

    public init(
        address: MetricsAddress, registry: PrometheusCollectorRegistry, limits: Limits = Limits()
    ) throws(MetricsError) {
        let listener = try Self.listen(on: address)
        var bound = address
        bound.port = (try? Posix.localAddress(listener))?.port ?? address.port
        let server: PollServer
        do {
            server = try PollServer(listener: listener, outOfDescriptors: .nap(microseconds: 10_000))
        } catch {
            try? Posix.close(listener)
            throw .cannotListen(
                address.description, reason: "cannot create an eventfd: \(String(cString: strerror(error.errno)))")
        }
        self.address = bound
        self.limits = limits
        loop = Loop(server: server, registry: registry, limits: limits)
        let loop = self.loop
        do {
            thread = try OSThread.start(name: "runviz-metrics") { loop.run() }
        } catch {
            loop.closeAll()
            throw .cannotListen(address.description, reason: "cannot start the server thread (\(error.errno))")
        }
    }

    deinit { stop() }

    /// Closes the listener and every connection; returns once the thread has ended. Idempotent.
    public func stop() {
        let first = stopped.withLock { s -> Bool in
            defer { s = true }
            return !s
        }
        guard first else { return }
        loop.server.wakeUp()
        thread.join()
    }

    /// A non-blocking listening socket on `address`; a busy port or a foreign address is one line.
    private static func listen(on address: MetricsAddress) throws(MetricsError) -> Int32 {
        guard let target = address.posixAddress else {
            throw .cannotListen(address.description, reason: "\(address.host) is not a numeric IP address")
        }
        do {
            return try Posix.listen(on: target, backlog: 64)
        } catch {
            let reason =
                switch error.errno {
                case EADDRINUSE: "port \(address.port) is already in use"
                case EADDRNOTAVAIL: "\(address.host) is not an address of this machine"
                default: String(cString: strerror(error.errno))
                }
            throw .cannotListen(address.description, reason: reason)
        }
    }
}

extension MetricsServer {
    /// The server thread's state: the listener, the eventfd that stops it, the connections.
    final class Loop: @unchecked Sendable {
        struct Connection {
            enum Phase { case reading, writing, draining }
            let fd: Int32
            let deadline: UInt64
            var phase = Phase.reading
            var input: [UInt8] = []
            var output: [UInt8] = []
            var written = 0
        }

        let server: PollServer
        let registry: PrometheusCollectorRegistry
        let limits: Limits
        @exclusivity(unchecked) private var connections: [Connection] = []
        /// The rendered metrics, reused from scrape to scrape.
        @exclusivity(unchecked) private var page: [UInt8] = []

        init(server: PollServer, registry: PrometheusCollectorRegistry, limits: Limits) {
            self.server = server
            self.registry = registry
            self.limits = limits
        }

        /// Until the eventfd stops it: one wait (until the nearest deadline, at most a second), the
        /// ready connections served, the late ones expired, the pending ones accepted.
        func run() {
            while true {
                let now = runviz_now_ns()
                let next = connections.map(\.deadline).min() ?? now + 1_000_000_000
                let waitMs = Int32(clamping: next > now ? (next - now) / 1_000_000 + 1 : 0)
                let interests = connections.lazy.map {
                    (fd: $0.fd, events: Int16($0.phase == .writing ? POLLOUT : POLLIN))
                }
                guard server.wait(for: interests, timeoutMillis: min(waitMs, 1_000), now: now), !server.woken else {
                    break
                }
                // Connections first, from the last (serving may drop one), then accepts.
                for i in connections.indices.reversed() where server.revents(ofConnection: i) != 0 { serve(i) }
                expire(now: runviz_now_ns())
                if server.acceptable { server.acceptAll(now: runviz_now_ns(), accepted) }
            }
            closeAll()
        }

        func closeAll() {
            for c in connections { Glibc.close(c.fd) }
            connections.removeAll()
            server.close()
        }

        /// A new connection, closed at once when `maxClients` are open, else given `timeout` to its end.
        private func accepted(_ fd: Int32) {
            guard connections.count < limits.maxClients else {
                Glibc.close(fd)
                return
            }
            let deadline =
                runviz_now_ns() + UInt64(limits.timeout.components.seconds) * 1_000_000_000
                + UInt64(limits.timeout.components.attoseconds / 1_000_000_000)
            connections.append(Connection(fd: fd, deadline: deadline))
        }

        /// Moves connection `i` on as far as its socket allows.
        private func serve(_ i: Int) {
            switch connections[i].phase {
            case .reading: read(i)
            case .writing: flush(i)
            case .draining: drain(i)
            }
        }

        private func read(_ i: Int) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while let n = receive(i, into: &chunk) {
                connections[i].input += chunk[0..<n]
                if let end = HTTPRequestHead.end(of: connections[i].input), end <= limits.maxRequestBytes {
                    return answer(i, HTTPRequestHead.answer(connections[i].input[..<end]))
                }
                if connections[i].input.count > limits.maxRequestBytes { return answer(i, .tooLarge) }
            }
        }

        /// Reads what connection `i` has into `chunk`: the count, or nil when nothing more is there
        /// for now (it would block) or the connection is gone (end of stream or an error: dropped).
        private func receive(_ i: Int, into chunk: inout [UInt8]) -> Int? {
            let fd = connections[i].fd
            let got = try? chunk.withUnsafeMutableBytes { buffer throws(SystemError) in
                try Posix.read(fd, into: buffer)
            }
            guard case .done(let n) = got, n > 0 else {
                if got != .wouldBlock { drop(i) }
                return nil
            }
            return n
        }

        private func answer(_ i: Int, _ a: HTTPRequestHead.Answer) {
            connections[i].input = []
            connections[i].output = HTTPRequestHead.response(a) {
                page.removeAll(keepingCapacity: true)
                registry.emit(into: &page)
                return page
            }
            connections[i].phase = .writing
            flush(i)
        }

        private func flush(_ i: Int) {
            while connections[i].written < connections[i].output.count {
                let c = connections[i]
                let sent = try? c.output.withUnsafeBytes { bytes throws(SystemError) in
                    try Posix.send(c.fd, UnsafeRawBufferPointer(rebasing: bytes[c.written...]))
                }
                guard case .done(let n) = sent else {
                    if sent != .wouldBlock { drop(i) }
                    return
                }
                connections[i].written += n
            }
            connections[i].output = []
            connections[i].phase = .draining
            shutdown(connections[i].fd, Int32(SHUT_WR))
            drain(i)
        }

        /// Reads and discards until the client closes (or the deadline), so closing with unread
        /// bytes never resets the answer away.
        private func drain(_ i: Int) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while receive(i, into: &chunk) != nil {}
        }

        /// Connections past their deadline: a reader gets a 408 if its socket takes it at once.
        private func expire(now: UInt64) {
            var i = connections.count - 1
            while i >= 0 {
                if connections[i].deadline <= now {
                    if connections[i].phase == .reading {
                        let fd = connections[i].fd
                        let bytes = HTTPRequestHead.response(.timeout) { [] }
                        _ = try? bytes.withUnsafeBytes { bytes throws(SystemError) in try Posix.send(fd, bytes) }
                    }
                    drop(i)
                }
                i -= 1
            }
        }

        private func drop(_ i: Int) {
            Glibc.close(connections[i].fd)
            connections.remove(at: i)
        }
    }
}
