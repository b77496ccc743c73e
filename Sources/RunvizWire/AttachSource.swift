// Another process's runtime as a frame source: the dashboard of a program attached over its
// telemetry endpoint. Like ReplaySource, it feeds the decoded observations to an ObservedRun (an
// Observer and its history), so rewind, the worker timeline, task detail and step mode work;
// unlike it, observations are taken as they arrive (the stream is live), all in `update`, which
// only does non-blocking reads (at most a few MiB a turn), so the screen never hangs.
//
// A joining viewer is first sent the endpoint's window of the past (up to its last 10 s), so the
// history starts full. When the target goes away the last frame stays on screen with a notice,
// and the source reconnects with a backoff (0.25 s doubling to 4 s), saying so; a new connection
// starts a new ObservedRun (it is another run, or this viewer missed part of this one), and the
// last frame stays until the new run publishes one.
// Commands that act on a runtime go to the target when it accepts them (`runviz serve`); else, or
// while disconnected, the next frames say why not. Following a task is the viewer's own business,
// as in a replay. All calls come from one thread.

import RunvizObservation

public final class AttachSource: FrameSource {
    public let address: TelemetryAddress
    public let historyLimits: ObservationHistory.Limits
    private var connection: AttachConnection
    /// The run of the adopted connection (nil: no setup received yet).
    private var run: ObservedRun?
    /// The newest frame, kept across a reconnect.
    private var lastFrame: DashboardSnapshot?
    /// Times the stream was taken up again after a loss, observations taken in all, and those
    /// the stream's gap blocks say were dropped.
    public private(set) var reconnects = 0
    public private(set) var observations = 0
    public private(set) var droppedObservations: UInt64 = 0
    /// The last problem, while disconnected.
    public private(set) var lost: AttachError?
    private var attempt = 0
    private var retryAt: UInt64 = 0
    /// A notice for the next frames, and until when (viewer clock); `lost` outranks it.
    private var notice: (text: String, until: UInt64)?
    private var clock: UInt64 = 0
    static let noticeNanos: UInt64 = 6_000_000_000
    static let firstBackoff: UInt64 = 250_000_000
    static let maxBackoff: UInt64 = 4_000_000_000

    /// Attaches over `connection` (one `AttachConnection.open` returned: handshake done).
    public init(
        connection: AttachConnection, history: ObservationHistory.Limits = ObservationHistory.Limits()
    ) {
        address = connection.address
        historyLimits = history
        self.connection = connection
        takeIn()
    }

    /// Connects to `address` and attaches; throws the one reason it cannot (refused, not an
    /// endpoint, a different wire version, no answer in time).
    public static func attach(
        to address: TelemetryAddress, timeoutMillis: Int = 3000,
        history: ObservationHistory.Limits = ObservationHistory.Limits()
    ) throws(AttachError) -> AttachSource {
        AttachSource(connection: try AttachConnection.open(to: address, timeoutMillis: timeoutMillis), history: history)
    }

    public var connected: Bool { lost == nil && connection.phase == .streaming }
    /// What the target said it is, and whether it takes commands.
    public var target: String { connection.target }
    public var acceptsCommands: Bool { connection.acceptsCommands }

    public func update(now: UInt64) {
        clock = now
        if lost != nil {
            guard now >= retryAt else { return }
            connection = AttachConnection(to: address)
            attempt += 1
            lost = nil
        }
        connection.step()
        takeIn()
        if case .failed(let error) = connection.phase {
            lost = error
            retryAt = now + min(Self.maxBackoff, Self.firstBackoff << UInt64(min(attempt, 8)))
        }
    }

    /// Takes in what the connection decoded; the first setup of a new connection starts a new run.
    private func takeIn() {
        if adopted !== connection, let setup = connection.setup {
            if adopted != nil {
                reconnects += 1
                notice = ("reconnected to \(address) (\(connection.target))", clock + Self.noticeNanos)
            }
            adopted = connection
            attempt = 0
            run = ObservedRun(setup: setup, history: historyLimits)
        }
        for text in connection.notices { notice = (text, clock + Self.noticeNanos) }
        connection.notices.removeAll()
        guard run != nil, !connection.items.isEmpty else { return }
        for item in connection.items {
            switch item {
            case .observation(let o):
                _ = run?.take(o)
                observations += 1
            case .gap(let dropped, _): droppedObservations &+= dropped
            }
        }
        connection.items.removeAll()
    }

    /// The connection whose setup the observer was built from.
    private var adopted: AttachConnection?

    public func frame(now: UInt64) -> DashboardSnapshot {
        update(now: now)
        if let frame = run?.latestFrame() { lastFrame = frame }
        return decorate(lastFrame ?? emptyFrame())
    }

    public func frame(at instant: UInt64) -> DashboardSnapshot? { run?.frame(at: instant).map(decorate) }

    public var history: HistorySpan? { run?.history }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        run?.workerTimeline(from: from, to: to, columns: columns)
    }

    public func apply(_ command: Command) {
        switch command {
        case .follow(let task): run?.follow(task)
        default:
            if !connected {
                notice = ("the target is gone: the key was not sent", clock + Self.noticeNanos)
            } else if !connection.acceptsCommands {
                notice = (
                    "\(connection.target) does not accept commands: keys that act on a runtime work against "
                        + "`runviz serve --telemetry`", clock + Self.noticeNanos
                )
            } else {
                connection.send(command)
            }
        }
    }

    /// The line the next frames show about the connection (nil: nothing to say).
    public var statusLine: String? {
        if let lost {
            let wait = retryAt > clock ? Double(retryAt - clock) / 1e9 : 0
            let retry = "attempt \(attempt + 1) in \(Self.seconds(wait))"
            // The endpoint's last word (a cut-off says why) outranks the bare loss.
            if let notice, clock < notice.until, notice.text.hasPrefix("cut off") {
                return "\(notice.text); reconnecting… \(retry)"
            }
            return "target gone, reconnecting… \(retry) (\(lost.reason))"
        }
        if connection.phase != .streaming { return "target gone, reconnecting to \(address)…" }
        if let notice, clock < notice.until { return notice.text }
        return nil
    }

    private static func seconds(_ s: Double) -> String {
        let tenths = Int((s * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }

    private func decorate(_ frame: DashboardSnapshot) -> DashboardSnapshot {
        var frame = frame
        frame.history = run?.history
        if let line = statusLine { frame.demos.lastAction = line }
        return frame
    }

    /// Before the first observation: the setup's runtime, idle (or nothing known yet).
    private func emptyFrame() -> DashboardSnapshot {
        ObservedRun.idleFrame(
            run?.observer.setup
                ?? ObservedSetup(
                    configuration: ConfigurationSummary(
                        workers: 0, maxBlockingThreads: 0, blockedThresholdNanos: 0, instrumentation: false),
                    startedAt: clock, echoAddress: "", eventCostNanos: 0))
    }
}
