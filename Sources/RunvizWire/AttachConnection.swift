// A viewer's connection to a telemetry endpoint, entirely non-blocking: `step` moves it on as far
// as the socket allows (finish connecting, send the hello, read the answer, then frames) and
// never waits, so the dashboard calling it each turn never hangs; `open` is the same steps with
// a poll between them, up to a deadline, for the first connection a command makes.
//
// Nothing from the peer is trusted: the answer's magic is checked byte by byte as it arrives (an
// echo server, which sends the hello back, or an HTTP server is told apart at once), its text and
// every frame length are bounded before they are awaited, data bytes go straight into one
// RecordingDecoder (which checks block lengths, checksums and the format version), and at most
// `readBudget` bytes are read per step.

import CRunvizLinux
import Glibc
import RunvizObservation

public final class AttachConnection {
    public enum Phase: Equatable {
        case connecting
        case answering
        case streaming
        case failed(AttachError)
    }

    public let address: TelemetryAddress
    public private(set) var phase = Phase.connecting
    /// From the answer: what the target is, and whether it takes commands.
    public private(set) var target = ""
    public private(set) var acceptsCommands = false
    public private(set) var setup: ObservedSetup?
    /// Decoded and not yet taken by the source; notices likewise.
    var items: [RecordingItem] = []
    var notices: [String] = []
    /// Data bytes received (the stream's size so far).
    public private(set) var receivedBytes = 0

    private var fd: Int32 = -1
    private var hello = WireFormat.hello()
    private var helloSent = 0
    private var outgoing: [UInt8] = []
    private var head: [UInt8] = []
    /// The frame being read: its kind and the payload bytes still to come.
    private var frameKind: WireFormat.FrameKind?
    private var remaining = 0
    private var notice: [UInt8] = []
    private var decoder = RecordingDecoder()
    static let readBudget = 8 << 20
    static let readChunk = 64 << 10

    /// Starts connecting (a refused Unix socket fails at once; TCP reports in a later step).
    public init(to address: TelemetryAddress, helloVersion: UInt16 = WireFormat.version) {
        self.address = address
        hello = WireFormat.hello(version: helloVersion)
        switch WireSocket.connect(address, nonBlocking: true) {
        case .connected(let fd), .inProgress(let fd): self.fd = fd
        case .failed(let code): fail(Self.connectError(code, address))
        }
    }

    /// Over a socket already connected (a test's socketpair), at the answer.
    init(adopting fd: Int32, address: TelemetryAddress) {
        self.address = address
        self.fd = fd
        phase = .answering
        helloSent = hello.count
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Connects and handshakes within `timeoutMillis`, and waits (as long) for the stream's header,
    /// which an endpoint sends with its answer once it knows the run's setup; throws the one
    /// reason it cannot.
    public static func open(
        to address: TelemetryAddress, timeoutMillis: Int = 3000, helloVersion: UInt16 = WireFormat.version
    ) throws(AttachError) -> AttachConnection {
        let c = AttachConnection(to: address, helloVersion: helloVersion)
        let deadline = runviz_now_ns() + UInt64(timeoutMillis) * 1_000_000
        while true {
            c.step()
            switch c.phase {
            case .failed(let error): throw error
            case .streaming where c.setup != nil: return c
            default: break
            }
            let now = runviz_now_ns()
            guard now < deadline else {
                // An endpoint that answered is one, even if its stream has not begun.
                if c.phase == .streaming { return c }
                c.fail(.timedOut(address.description))
                throw .timedOut(address.description)
            }
            let wantWrite = c.phase == .connecting || c.helloSent < c.hello.count
            _ = WireSocket.wait(
                c.fd, for: Int16(POLLIN) | (wantWrite ? Int16(POLLOUT) : 0),
                timeoutMillis: Int32(min(100, (deadline - now) / 1_000_000 + 1)))
        }
    }

    static func connectError(_ code: Int32, _ address: TelemetryAddress) -> AttachError {
        code == ECONNREFUSED || code == ENOENT
            ? .refused(address.description) : .cannotConnect(address.description, WireSocket.errorText(code))
    }

    func fail(_ error: AttachError) {
        if case .failed = phase { return }
        phase = .failed(error)
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    /// Sends `command` (queued if the socket is full; sent by later steps).
    func send(_ command: Command) {
        let payload = command.wireBytes
        outgoing += [WireFormat.FrameKind.command.rawValue, UInt8(payload.count)] + payload
        step()
    }

    /// Moves on as far as the socket allows without waiting.
    public func step() {
        if case .failed = phase { return }
        if phase == .connecting {
            guard WireSocket.wait(fd, for: Int16(POLLOUT), timeoutMillis: 0) != 0 else { return }
            let code = WireSocket.connectResult(fd)
            guard code == 0 else { return fail(Self.connectError(code, address)) }
            phase = .answering
        }
        writeOut()
        readIn()
    }

    private func writeOut() {
        while helloSent < hello.count {
            switch WireSocket.send(fd, hello, from: helloSent) {
            case .done(let n): helloSent += n
            case .wouldBlock: return
            case .failed(let code): return fail(.cannotConnect(address.description, WireSocket.errorText(code)))
            }
        }
        while !outgoing.isEmpty, case .streaming = phase {
            switch WireSocket.send(fd, outgoing) {
            case .done(let n): outgoing.removeFirst(n)
            case .wouldBlock: return
            case .failed: return fail(.gone(address.description))
            }
        }
    }

    private func readIn() {
        var budget = Self.readBudget
        var buffer = [UInt8](repeating: 0, count: Self.readChunk)
        while budget > 0 {
            if case .failed = phase { return }
            let io = buffer.withUnsafeMutableBytes { WireSocket.receive(fd, into: $0) }
            switch io {
            case .wouldBlock: return
            case .failed(let code):
                return fail(
                    phase == .answering
                        ? Self.connectError(code, address)
                        : .cannotConnect(address.description, WireSocket.errorText(code)))
            case .done(0):
                if phase == .answering {
                    return fail(
                        head.isEmpty
                            ? .notAnEndpoint(address.description, "it closed the connection without an answer")
                            : .notAnEndpoint(address.description, "its answer was cut off"))
                }
                decode()
                return fail(.gone(address.description))
            case .done(let n):
                budget -= n
                take(buffer[..<n])
            }
        }
    }

    private func take(_ bytes: ArraySlice<UInt8>) {
        var bytes = bytes
        while !bytes.isEmpty {
            if case .failed = phase { return }
            if phase == .answering {
                bytes = answer(bytes)
                continue
            }
            if let kind = frameKind {
                let n = min(remaining, bytes.count)
                let part = bytes.prefix(n)
                bytes = bytes.dropFirst(n)
                remaining -= n
                if kind == .data {
                    decoder.feed(part)
                    receivedBytes += n
                } else {
                    notice += part
                }
                if remaining == 0 { endFrame() }
                continue
            }
            let need = 5 - head.count
            head += bytes.prefix(need)
            bytes = bytes.dropFirst(need)
            guard head.count == 5 else { return }
            let length = Int(WireFormat.read32(head, at: 1))
            switch WireFormat.FrameKind(rawValue: head[0]) {
            case .data? where length <= WireFormat.maxDataBytes: frameKind = .data
            case .notice? where length <= WireFormat.maxNoticeBytes: frameKind = .notice
            default:
                return fail(.corrupt(address.description, "frame kind \(head[0]) of \(length) bytes"))
            }
            head = []
            remaining = length
            if remaining == 0 { endFrame() }
        }
        decode()
    }

    private func endFrame() {
        if frameKind == .notice { notices.append(String(decoding: notice, as: UTF8.self)) }
        notice = []
        frameKind = nil
    }

    /// Reads the answer from `bytes`; what follows it.
    private func answer(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let magic = WireFormat.answerMagic
        var rest = bytes
        let headBytes = WireFormat.answerHeadBytes
        if head.count < headBytes {
            let n = min(headBytes - head.count, rest.count)
            head += rest.prefix(n)
            rest = rest.dropFirst(n)
        }
        for i in 0..<min(head.count, magic.count) where head[i] != magic[i] {
            let echoed = head.elementsEqual(hello.prefix(head.count))
            fail(
                .notAnEndpoint(
                    address.description,
                    echoed ? "it sent the hello back (an echo server?)" : "its answer does not start like one"))
            return []
        }
        guard head.count >= headBytes else { return [] }
        let version = WireFormat.read16(head, at: magic.count)
        let status = head[magic.count + 2]
        let flags = head[magic.count + 3]
        let textLength = Int(WireFormat.read16(head, at: magic.count + 4))
        guard textLength <= WireFormat.maxAnswerText, status <= 1 else {
            fail(.notAnEndpoint(address.description, "its answer is malformed"))
            return []
        }
        let have = head.count - headBytes
        let n = min(textLength - have, rest.count)
        head += rest.prefix(n)
        rest = rest.dropFirst(n)
        guard head.count == headBytes + textLength else { return [] }
        let text = String(decoding: head[headBytes...], as: UTF8.self)
        head = []
        if status == WireFormat.Status.refused.rawValue {
            fail(.declined(address.description, text))
            return []
        }
        guard version == WireFormat.version else {
            fail(
                .declined(
                    address.description,
                    "it speaks telemetry wire version \(version), this runviz \(WireFormat.version)"))
            return []
        }
        target = text
        acceptsCommands = flags & WireFormat.acceptsCommandsFlag != 0
        phase = .streaming
        return rest
    }

    private func decode() {
        do {
            if setup == nil { setup = try decoder.setup() }
            guard setup != nil else { return }
            while let item = try decoder.next() { items.append(item) }
        } catch {
            fail(.corrupt(address.description, error.description))
        }
    }
}
