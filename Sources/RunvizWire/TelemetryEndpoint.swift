// Streams a program's observations to attached viewers (`runviz attach`), in the recording
// format. An ObservationSink: `record` runs on the observer thread (the Session's, or the
// runtime's own RuntimeObserver), never on a runtime worker, and never blocks: it encodes the
// observation once, keeps it in the join window, and appends the same bytes to each viewer's
// queue under a short lock. A queue is bounded (`viewerQueueBytes` beyond what the viewer was
// sent on joining); a viewer whose queue would overflow is cut off, what it missed is counted,
// and it is told why if its socket still takes a line. Everything else (accepting, the
// handshake, writing, reading commands) happens on the endpoint's own thread with plain
// non-blocking sockets and poll, so it never runs on, or waits for, the observed runtime.
//
// A viewer that completes the handshake gets the recording header with the answer (once the
// setup is known) and is queued as joining; the next `record` sends it a catch-up of what came
// before the window and the window (JoinWindow), then the live stream: one recording stream from
// its start, whenever the viewer joined.
//
// Commands: with `acceptsCommands`, the commands viewers send are queued (at most
// `pendingCommands`) for the owner to take with `takeCommands()` on its observer thread and
// apply (a Session is single-threaded); without, each is declined and the viewer is told this
// program does not accept commands. `stop` closes every socket and joins the thread;
// idempotent; deinit calls it.

import CRunvizLinux
import Glibc
import RunvizLock
import RunvizObservation
import RunvizSystem

public final class TelemetryEndpoint: ObservationSink, @unchecked Sendable {
    public struct Limits: Sendable, Equatable {
        /// Bytes a viewer may fall behind the live stream before it is cut off.
        public var viewerQueueBytes: Int
        /// What a joining viewer is sent of the past.
        public var replaySeconds: Double
        public var replayBytes: Int
        public var maxViewers: Int
        public var pendingCommands: Int

        public init(
            viewerQueueBytes: Int = 8 << 20, replaySeconds: Double = 10, replayBytes: Int = 16 << 20,
            maxViewers: Int = 16, pendingCommands: Int = 64
        ) {
            self.viewerQueueBytes = viewerQueueBytes
            self.replaySeconds = replaySeconds
            self.replayBytes = replayBytes
            self.maxViewers = maxViewers
            self.pendingCommands = pendingCommands
        }
    }

    /// Where it listens (a TCP port 0 resolved to the port bound).
    public let address: TelemetryAddress
    public let acceptsCommands: Bool
    public let limits: Limits
    private let hub: ViewerHub
    private var thread: OSThread?

    // The observer thread's own state.
    private var encoder = RecordingEncoder()
    private var window: JoinWindow
    private var stopped = false

    /// Listens on `address` and starts the endpoint thread. `target` is what viewers are told they
    /// attached to; `setup` may come later (`announce`), when the observer that makes it starts
    /// after its sinks: viewers are answered at once and streamed to from then on.
    public init(
        address: TelemetryAddress, setup: ObservedSetup? = nil, acceptsCommands: Bool = false,
        target: String = TelemetryEndpoint.defaultTarget, limits: Limits = Limits()
    ) throws(TelemetryEndpointError) {
        let (fd, bound) = try WireSocket.listen(address)
        let server: PollServer
        do {
            server = try PollServer(listener: fd, outOfDescriptors: .pauseListener(nanoseconds: ViewerHub.acceptPause))
        } catch {
            close(fd)
            throw .cannotStart("eventfd: \(WireSocket.errorText(error.errno))")
        }
        self.address = bound
        self.acceptsCommands = acceptsCommands
        self.limits = limits
        window = JoinWindow(seconds: limits.replaySeconds, maxBytes: limits.replayBytes)
        hub = ViewerHub(
            server: server, address: bound, acceptsCommands: acceptsCommands, target: target,
            limits: limits)
        if let setup { announce(setup) }
        let hub = self.hub
        do {
            thread = try OSThread.start(name: "runviz-telemetry") { hub.run() }
        } catch {
            hub.closeAll()
            throw .cannotStart("cannot start its thread (\(error.errno))")
        }
    }

    deinit { stop() }

    /// "PROGRAM (pid N)": what a viewer is told it attached to.
    public static var defaultTarget: String {
        let name = (try? String(contentsOfProcFile: "/proc/self/comm")) ?? "program"
        return "\(name) (pid \(getpid()))"
    }

    /// The run's setup: the header every viewer's stream starts with. Once; later calls are ignored.
    public func announce(_ setup: ObservedSetup) {
        var header = WireFormat.frameHead(.data, length: 0)
        header += RecordingEncoder.header(setup)
        Self.patchLength(&header)
        hub.state.withLock { if $0.header == nil { $0.header = DataChunk(bytes: header, observations: 0) } }
    }

    public func record(_ observation: Observation) {
        guard !stopped else { return }
        var bytes = WireFormat.frameHead(.data, length: 0)
        if window.isSegmentDue(at: observation.now) {
            encoder.append(.gap(observations: 0, events: 0), to: &bytes)
            window.startSegment(at: observation.now)
        }
        encoder.append(.observation(observation), to: &bytes)
        Self.patchLength(&bytes)
        let chunk = DataChunk(bytes: bytes, observations: 1)
        window.take(observation, encoded: chunk)
        let joining = hub.state.withLock { s -> Bool in
            s.status.observations += 1
            return !s.joining.isEmpty && s.header != nil
        }
        // Built outside the lock: the catch-up costs a pass over the live tasks.
        let prefix = joining ? joinPrefix() : []
        hub.deliver(chunk, prefix: prefix)
    }

    /// What a joining viewer is sent first: the catch-up, then the window (the header is the hub's).
    private func joinPrefix() -> [DataChunk] {
        var prefix: [DataChunk] = []
        if let catchUp = window.catchUp() {
            var fresh = RecordingEncoder()
            var bytes = WireFormat.frameHead(.data, length: 0)
            fresh.append(.observation(catchUp), to: &bytes)
            Self.patchLength(&bytes)
            prefix.append(DataChunk(bytes: bytes, observations: 0))
        }
        return prefix + window.chunks
    }

    private static func patchLength(_ frame: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: frame.count - 5)
        for i in 0..<4 { frame[1 + i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
    }

    /// Not a recording: the header shows a recording's status only.
    public var recordingStatus: RecordingStatus? { nil }

    public var status: TelemetryStatus {
        hub.state.withLock { s in
            var status = s.status
            status.viewers = s.outboxes.values.filter { $0.cutOff == nil }.count
            return status
        }
    }

    /// The commands viewers sent since the last call, oldest first (always empty unless
    /// `acceptsCommands`). Call on the observer thread and apply them there.
    public func takeCommands() -> [Command] {
        hub.state.withLock { s in
            defer { s.commands.removeAll() }
            return s.commands
        }
    }

    /// Closes every connection and the listener, and joins the endpoint thread. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        hub.state.withLock { $0.stopping = true }
        hub.wakeUp()
        thread?.join()
        hub.closeAll()
    }
}

extension String {
    /// A one-line file of /proc, without its newline.
    init(contentsOfProcFile path: String) throws(SystemError) {
        let bytes = try Posix.readFile(path)
        self = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }
}
