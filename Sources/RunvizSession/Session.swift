// The live frame source: a runviz runtime in this process, the echo server on it, the built-in
// synthetic clients, the demos the keys start, and the observer that turns the runtime's events and
// counters into one DashboardSnapshot per frame. `launch` draws its frames, `serve` prints them.
// Each turn's readings are one Observation: the Observer takes it, the history (when configured)
// keeps it for the rewind keys, and the sink (a recording) gets it too.
//
// The observer lives outside the observed runtime: one thread calls `update`, `frame`, `summary`
// and `apply` (the UI or serve loop), never a runtime worker, and every figure comes from events
// and counters read on that thread (the echo server's too), so a stalled runtime reads as a stall:
// rates fall to 0 and waits grow. Start order: runtime, echo server (its listener binds here, so a
// port in use fails before anything else runs), synthetic clients; a failure stops what started.
// `stop` undoes them in reverse and is idempotent; deinit calls it.

import CRunvizLinux
import RunvizDemos
import RunvizEcho
import RunvizLoad
import RunvizObservation
import RunvizRuntime
import RunvizWatch

public final class Session: FrameSource {
    public let configuration: SessionConfiguration
    public let runtime: Runtime
    public let server: EchoServer
    private let clients: SyntheticClients?
    private let demos: DemoRunner
    /// Everything on screen is built here, from the observations this session reads.
    public private(set) var observer: Observer
    private let merger: EventMerger
    private var probe = ProcessProbe()
    /// The per-connection cost of the summaries (`serve`'s line), the dashboard's definition.
    private var summaryCost = ConnectionCostProbe()
    /// Names handed to the observer so far (the hub's table only grows).
    private var namesSent = 0
    /// CPU this thread spent on the previous turn.
    private var lastTurnNanos: UInt64 = 0
    /// Where every observation also goes: a recording, attached viewers, a metrics endpoint.
    public var sinks: [any ObservationSink] = []
    /// The last stretch of observations, for the rewind keys (nil: none kept).
    private var past: ObservationHistory?
    private var stopped = false

    public init(_ configuration: SessionConfiguration) throws(SessionError) {
        try configuration.validate()
        self.configuration = configuration
        let runtime: Runtime
        // The session drains the rings itself, so nothing else watches its runtime (serve
        // --telemetry adds an endpoint as one of the session's sinks instead).
        do { runtime = try Runtime(configuration.runtime) } catch { throw .runtimeFailed(error.description) }
        let server: EchoServer
        do {
            server = try EchoServer(runtime: runtime, address: configuration.address, mode: configuration.mode)
        } catch {
            runtime.shutdown()
            throw .listen(error, configuration.address)
        }
        // The accept loop is the program's main body: a thread waits for it in blockOn, as in a
        // program built on the runtime (lesson 04).
        guard server.startInBlockOn() else {
            server.stop()
            runtime.shutdown()
            throw .runtimeFailed("no thread could be started for blockOn")
        }
        do {
            clients = try configuration.syntheticClients.map { count throws(LoadError) in
                try SyntheticClients(host: server.address.host, port: Int(server.address.port), clients: count)
            }
        } catch {
            server.stop()
            runtime.shutdown()
            throw .syntheticClientsFailed("\(error)")
        }
        self.runtime = runtime
        self.server = server
        demos = DemoRunner(runtime: runtime, server: server, clients: clients)
        let aggregator = Aggregator(observing: runtime)
        observer = Observer(
            setup: ObservedSetup(
                configuration: aggregator.configuration, startedAt: runtime.startedAt,
                echoAddress: server.address.description,
                eventCostNanos: Runtime.measureEventCost()))
        merger = EventMerger(hub: runtime.telemetry)
        past = configuration.history.map { ObservationHistory(limits: $0) }
    }

    deinit { stop() }

    /// Takes in every event recorded up to `now` and keeps the per-second samples on time. Cheap;
    /// call it often enough that the rings never fill (serve: every 50 ms).
    public func update(now: UInt64) {
        _ = take(observe(.update, now: now))
    }

    public func frame(now: UInt64) -> DashboardSnapshot {
        take(observe(.frame, now: now))!
    }

    /// Reads this turn's events and counters (and, for a frame, the process and the demos).
    private func observe(_ turn: Observation.Turn, now: UInt64) -> Observation {
        let hub = runtime.telemetry
        let events = merger.drain()
        var echo = server.stats.reading()
        echo.mode = EchoSnapshot.Mode(server.mode)
        let counters = hub.readCounters()
        let names = hub.names.all()
        let newNames = namesSent < names.count ? Array(names[namesSent...]) : []
        namesSent = names.count
        var o = Observation(
            turn: turn, now: now, events: events, newNames: newNames, counters: counters, echo: echo,
            observerNanos: lastTurnNanos)
        if turn == .frame {
            o.process = probe.sample()
            o.demos = demos.snapshot
            o.syntheticClients = clients?.count ?? 0
        }
        return o
    }

    private func take(_ o: Observation) -> DashboardSnapshot? {
        let started = runviz_thread_cpu_ns()
        past?.record(o, before: observer)
        var frame = observer.take(o)
        for sink in sinks { sink.record(o) }
        frame?.history = past?.span
        frame?.recording = sinks.lazy.compactMap(\.recordingStatus).first
        lastTurnNanos = runviz_thread_cpu_ns() &- started
        return frame
    }

    public func frame(at instant: UInt64) -> DashboardSnapshot? {
        guard let past, var frame = past.frame(at: instant) else { return nil }
        frame.history = past.span
        // The task followed now, with its steps up to the instant (followed from the history).
        if let timeline = observer.followedTimeline(upTo: instant) { frame.timeline = timeline }
        return frame
    }

    public var history: HistorySpan? { past?.span }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        past?.workerTimeline(from: from, to: to, columns: columns)
    }

    /// The figures of a one-line status, from counters and worker states only: no per-task work.
    public func summary(now: UInt64) -> SessionSummary {
        let counters = runtime.telemetry.readCounters()
        let echo = server.stats.reading()
        var process = probe.sample()
        summaryCost.sample(
            .init(
                tasks: echo.openTasks, threads: echo.openThreads, resident: process.residentBytes,
                virtual: process.virtualBytes, at: now))
        process.perTaskConnection = summaryCost.perTask
        process.perThreadConnection = summaryCost.perThread
        return SessionSummary(
            workers: observer.workers(now: now), echo: observer.echoNow,
            replies: observer.aggregator.replies(now: now), process: process, liveTasks: counters.liveTasks,
            registeredFDs: runtime.registeredFDs, droppedEvents: counters.droppedEvents)
    }

    /// A live session can carry out every command.
    public func apply(_ command: Command) {
        switch command {
        case .follow(let task):
            // With a history, the task's steps since the oldest instant held are there at once.
            if let past { observer = past.following(task, observer) } else { observer.follow(task) }
        case .toggleInstrumentation: runtime.instrumentation.toggle()
        default: demos.apply(command)
        }
    }

    /// Stops the clients and the server, then shuts the runtime down. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        clients?.stop()
        server.stop()
        runtime.shutdown()
    }
}
