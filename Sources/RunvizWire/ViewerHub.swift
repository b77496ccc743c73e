// The endpoint's thread and what it shares with the observer thread. Under `state`'s lock: one
// outbox per viewer (the data chunks the observer thread queued and the bytes not yet written),
// the viewers waiting for their join prefix, the commands waiting for the owner, the status. The
// thread owns the sockets: each turn it takes the queued chunks out of the outboxes, polls the
// listener, the wake eventfd and every connection, accepts, reads hellos and command frames,
// and writes what each socket takes; a viewer's outbox counts its bytes until they are written,
// so the bound the observer thread checks covers everything not yet delivered.
//
// A connection's life: hello (10 bytes within `helloTimeout`, else closed) → streaming → closing
// (a refusal or a cut-off notice is flushed, then our side is shut down and the socket closed at
// the peer's end of stream, all within `closingTimeout`: closing with its bytes unread would
// reset the connection and lose the line). A viewer that breaks the wire (a frame kind or length it may not send) is closed.

import CRunvizLinux
import Glibc
import RunvizLock
import RunvizObservation
import RunvizSystem

final class ViewerHub: @unchecked Sendable {
    struct Outbox {
        var chunks: [DataChunk] = []
        /// Data bytes queued and not yet written (the taken ones included), and their observations.
        var queued = 0
        var queuedObservations = 0
        /// The most it may hold: what it was sent on joining plus the queue limit.
        var limit: Int
        /// Why it was cut off (nil: streaming, or joining).
        var cutOff: String?
        /// The recording header went out with the answer (the setup was known then).
        var headerSent = false
    }

    struct State {
        var header: DataChunk?
        var outboxes: [Int: Outbox] = [:]
        var joining: [Int] = []
        var commands: [Command] = []
        var stopping = false
        var status: TelemetryStatus
    }

    let state: Lock<State>
    /// The listener, the eventfd and the poll set (RunvizSystem's PollServer).
    let server: PollServer
    let acceptsCommands: Bool
    let target: String
    let limits: TelemetryEndpoint.Limits
    let unixPath: String?
    static let helloTimeout: UInt64 = 5_000_000_000
    static let closingTimeout: UInt64 = 5_000_000_000

    init(
        server: PollServer, address: TelemetryAddress, acceptsCommands: Bool, target: String,
        limits: TelemetryEndpoint.Limits
    ) {
        self.server = server
        self.acceptsCommands = acceptsCommands
        self.target = target
        self.limits = limits
        if case .unix(let path) = address { unixPath = path } else { unixPath = nil }
        state = Lock(State(status: TelemetryStatus(address: address)))
    }

    func wakeUp() { server.wakeUp() }

    func closeAll() {
        server.close()
        if let unixPath { unlink(unixPath) }
    }

    // MARK: The observer thread's side

    /// Queues `chunk` for every streaming viewer, and `prefix` (then nothing more this turn: the
    /// prefix holds `chunk`) for every joining one; cuts off a viewer it would overflow.
    func deliver(_ chunk: DataChunk, prefix: [DataChunk]) {
        let queueLimit = limits.viewerQueueBytes
        let woke = state.withLock { s -> Bool in
            var any = false
            if !prefix.isEmpty, let header = s.header {
                for id in s.joining where s.outboxes[id] != nil {
                    let all = (s.outboxes[id]!.headerSent ? [] : [header]) + prefix
                    let bytes = all.reduce(0) { $0 + $1.bytes.count }
                    s.outboxes[id]!.chunks = all
                    s.outboxes[id]!.queued = bytes
                    s.outboxes[id]!.queuedObservations = prefix.reduce(0) { $0 + $1.observations }
                    s.outboxes[id]!.limit = bytes + queueLimit
                    s.status.viewersAccepted += 1
                }
                let joined = Set(s.joining)
                s.joining.removeAll()
                for id in Array(s.outboxes.keys) where !joined.contains(id) { _ = append(chunk, to: id, in: &s) }
                return true
            }
            let waiting = Set(s.joining)
            for id in Array(s.outboxes.keys) where !waiting.contains(id) { any = append(chunk, to: id, in: &s) || any }
            return any
        }
        if woke { wakeUp() }
    }

    private func append(_ chunk: DataChunk, to id: Int, in s: inout State) -> Bool {
        guard s.outboxes[id]!.cutOff == nil else { return false }
        let box = s.outboxes[id]!
        if box.queued + chunk.bytes.count > box.limit {
            s.status.cutOff += 1
            s.status.droppedBytes += UInt64(box.queued + chunk.bytes.count)
            s.status.droppedObservations += UInt64(box.queuedObservations + chunk.observations)
            s.outboxes[id]!.chunks = []
            s.outboxes[id]!.cutOff =
                "cut off: this viewer fell \((box.queued + chunk.bytes.count) >> 20) MiB behind "
                + "(\(box.queuedObservations + chunk.observations) observations not delivered)"
            return true
        }
        s.outboxes[id]!.chunks.append(chunk)
        s.outboxes[id]!.queued += chunk.bytes.count
        s.outboxes[id]!.queuedObservations += chunk.observations
        return true
    }

    // MARK: The endpoint thread

    private final class Connection {
        enum Phase {
            case hello
            case streaming
            case closing
        }
        let id: Int
        let fd: Int32
        var phase = Phase.hello
        var deadline: UInt64
        var incoming: [UInt8] = []
        /// What to write, in order; `counted` chunks are the outbox's data (their bytes leave
        /// its count once written), the others this thread's own answer and notices.
        var outgoing: [(bytes: [UInt8], observations: Int, counted: Bool)] = []
        var offset = 0
        var closed = false
        var shutDown = false

        init(id: Int, fd: Int32, deadline: UInt64) {
            self.id = id
            self.fd = fd
            self.deadline = deadline
        }

        func say(_ bytes: [UInt8]) { outgoing.append((bytes, 0, false)) }
    }

    private var connections: [Connection] = []
    private var nextID = 0
    /// Out of fds (EMFILE): the listener stays readable, so it is left out of poll this long
    /// instead of spinning on a failing accept.
    static let acceptPause: UInt64 = 100_000_000

    func run() {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            // Take what the observer thread queued, and who was cut off.
            let (stopping, cutOffs) = state.withLock { s -> (Bool, [Int: String]) in
                var cut: [Int: String] = [:]
                for c in connections where c.phase == .streaming {
                    guard var box = s.outboxes[c.id] else { continue }
                    if let reason = box.cutOff {
                        cut[c.id] = reason
                        continue
                    }
                    for chunk in box.chunks { c.outgoing.append((chunk.bytes, chunk.observations, true)) }
                    box.chunks.removeAll()
                    s.outboxes[c.id] = box
                }
                return (s.stopping, cut)
            }
            if stopping { break }
            let now = runviz_now_ns()
            for c in connections where cutOffs[c.id] != nil {
                // The frame being written is finished, so the notice is read as one.
                c.outgoing = c.offset > 0 ? [c.outgoing[0]] : []
                c.say(WireFormat.notice(cutOffs[c.id]!))
                c.phase = .closing
                c.deadline = now + Self.closingTimeout
            }
            let interests = connections.lazy.map {
                (fd: $0.fd, events: Int16(POLLIN) | ($0.outgoing.isEmpty ? 0 : Int16(POLLOUT)))
            }
            guard server.wait(for: interests, timeoutMillis: 100, now: now) else { break }
            if server.woken { server.drainWake() }
            let ready = connections.indices.map { server.revents(ofConnection: $0) }
            let turn = connections
            if server.acceptable {
                let now = runviz_now_ns()
                server.acceptAll(now: now) { accepted($0, now: now) }
            }
            var written = [Int: (bytes: Int, observations: Int)]()
            for (i, c) in turn.enumerated() {
                if ready[i] & Int16(POLLIN | POLLHUP | POLLERR) != 0 { read(c, &buffer) }
                if !c.closed && !c.outgoing.isEmpty { written[c.id] = flush(c) }
                if !c.closed && c.phase != .streaming && runviz_now_ns() > c.deadline { c.closed = true }
                if !c.closed && c.phase == .closing && c.outgoing.isEmpty && !c.shutDown {
                    // The peer reads the last line, then its end of stream; we close at its end or the deadline.
                    shutdown(c.fd, Int32(SHUT_WR))
                    c.shutDown = true
                }
            }
            let gone = connections.filter(\.closed)
            for c in gone { close(c.fd) }
            connections.removeAll(where: \.closed)
            if !written.isEmpty || !gone.isEmpty {
                state.withLock { s in
                    for (id, w) in written where s.outboxes[id] != nil {
                        s.outboxes[id]!.queued -= w.bytes
                        s.outboxes[id]!.queuedObservations -= w.observations
                        s.status.sentBytes += UInt64(w.bytes)
                    }
                    for c in gone {
                        s.outboxes[c.id] = nil
                        s.joining.removeAll { $0 == c.id }
                    }
                }
            }
        }
        for c in connections { close(c.fd) }
        connections.removeAll()
    }

    /// A new connection: given `helloTimeout` to say hello, or refused when `maxViewers` are attached.
    private func accepted(_ fd: Int32, now: UInt64) {
        let c = Connection(id: nextID, fd: fd, deadline: now + Self.helloTimeout)
        nextID += 1
        if connections.count >= limits.maxViewers {
            c.say(
                WireFormat.answer(
                    accepted: false, acceptsCommands: false,
                    text: "this program already has \(limits.maxViewers) viewers attached"))
            c.phase = .closing
            c.deadline = now + Self.closingTimeout
            state.withLock { $0.status.refused += 1 }
        }
        connections.append(c)
    }

    private func read(_ c: Connection, _ buffer: inout [UInt8]) {
        let io = buffer.withUnsafeMutableBytes { WireSocket.receive(c.fd, into: $0) }
        switch io {
        case .wouldBlock: return
        case .done(0), .failed:
            c.closed = true
            return
        case .done(let n):
            if c.phase == .closing { return }
            c.incoming += buffer[..<n]
        }
        switch c.phase {
        case .hello: hello(c)
        case .streaming: commands(c)
        case .closing: break
        }
    }

    private func refuse(_ c: Connection, _ why: String) {
        c.say(WireFormat.answer(accepted: false, acceptsCommands: false, text: why))
        c.phase = .closing
        c.deadline = runviz_now_ns() + Self.closingTimeout
        state.withLock { $0.status.refused += 1 }
    }

    private func hello(_ c: Connection) {
        let magic = WireFormat.helloMagic
        for i in 0..<min(c.incoming.count, magic.count) where c.incoming[i] != magic[i] {
            return refuse(c, "not a runviz viewer: this is a runviz telemetry endpoint (use `runviz attach`)")
        }
        guard c.incoming.count >= WireFormat.helloBytes else { return }
        let version = WireFormat.read16(c.incoming, at: magic.count)
        guard version == WireFormat.version else {
            return refuse(
                c,
                "this endpoint speaks telemetry wire version \(WireFormat.version) and the viewer \(version): "
                    + "attach with the runviz that runs the program")
        }
        c.incoming.removeFirst(WireFormat.helloBytes)
        c.say(WireFormat.answer(accepted: true, acceptsCommands: acceptsCommands, text: target))
        c.phase = .streaming
        let limit = limits.viewerQueueBytes
        // The header at once when the setup is known, so the viewer knows the run before the
        // next observation brings the rest.
        let header = state.withLock { s -> DataChunk? in
            s.outboxes[c.id] = Outbox(limit: limit, headerSent: s.header != nil)
            s.joining.append(c.id)
            return s.header
        }
        if let header { c.say(header.bytes) }
        commands(c)
    }

    private func commands(_ c: Connection) {
        while c.incoming.count >= 2 {
            guard c.incoming[0] == WireFormat.FrameKind.command.rawValue,
                Int(c.incoming[1]) <= WireFormat.maxCommandBytes
            else {
                c.closed = true
                return
            }
            let length = Int(c.incoming[1])
            guard c.incoming.count >= 2 + length else { return }
            let payload = Array(c.incoming[2..<(2 + length)])
            c.incoming.removeFirst(2 + length)
            let command = Command(wireBytes: payload)
            let pending = limits.pendingCommands
            let accepted = state.withLock { s -> Bool in
                s.status.commands += 1
                guard acceptsCommands, let command, s.commands.count < pending else {
                    s.status.declinedCommands += 1
                    return false
                }
                s.commands.append(command)
                return true
            }
            if accepted { continue }
            if !acceptsCommands {
                c.say(
                    WireFormat.notice(
                        "\(target) does not accept commands: keys that act on a runtime work against `runviz serve`"))
            } else if command == nil {
                c.say(WireFormat.notice("the target does not know this command (a newer runviz?)"))
            } else {
                c.say(WireFormat.notice("too many commands waiting: this one was dropped"))
            }
        }
    }

    /// Writes what the socket takes; the outbox's data bytes and observations written.
    private func flush(_ c: Connection) -> (bytes: Int, observations: Int) {
        var bytes = 0
        var observations = 0
        while let head = c.outgoing.first {
            switch WireSocket.send(c.fd, head.bytes, from: c.offset) {
            case .wouldBlock: return (bytes, observations)
            case .failed:
                c.closed = true
                return (bytes, observations)
            case .done(let n):
                c.offset += n
                if head.counted { bytes += n }
                if c.offset == head.bytes.count {
                    c.outgoing.removeFirst()
                    c.offset = 0
                    if head.counted { observations += head.observations }
                }
            }
        }
        return (bytes, observations)
    }
}
