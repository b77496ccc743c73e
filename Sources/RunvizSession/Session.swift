// The live frame source: a runviz runtime in this process, the echo server on it, the built-in
// synthetic clients, the demos the keys start, and the observer that turns the runtime's events and
// counters into one DashboardSnapshot per frame. `launch` draws its frames, `serve` prints them.
// Each turn's readings are one Observation, read as every observer of a runtime reads them
// (ObservationTurns) plus the echo server's counters and the demos: the observed run (ObservedRun:
// the Observer and, when configured, the history for the rewind keys) takes it, and the sinks (a
// recording, viewers, a metrics endpoint) get it too.
//
// The observer lives outside the observed runtime: one thread calls `update`, `frame`, `summary`
// and `apply` (the UI or serve loop), never a runtime worker, and every figure comes from events
// and counters read on that thread (the echo server's too), so a stalled runtime reads as a stall:
// rates fall to 0 and waits grow. Start order: runtime, echo server (its listener binds here, so a
// port in use fails before anything else runs), synthetic clients; a failure stops what started.
// `stop` undoes them in reverse and is idempotent; deinit calls it.

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
    /// Everything on screen is built here, from the observations this session reads, and kept
    /// for the rewind keys when the configuration asks for a history.
    private var run: ObservedRun
    public var observer: Observer { run.observer }
    private let turns: ObservationTurns
    /// The per-connection cost of the summaries (`serve`'s line), the dashboard's definition.
    private var summaryCost = ConnectionCostProbe()
    /// Where every observation also goes: a recording, attached viewers, a metrics endpoint.
    public var sinks: [any ObservationSink] = []
    private var stopped = false

    public init(_ configuration: SessionConfiguration) throws(SessionError) {
        try configuration.validate()
        self.configuration = configuration
        let runtime: Runtime
        // The session drains the rings itself, so nothing else watches its runtime (serve
        // --telemetry adds an endpoint as one of the session's sinks instead).
        do {
            runtime =
                configuration.globalExecutor
                ? try Runtime.installAsGlobalExecutor(configuration.runtime, indexingTaskCode: false)
                : try Runtime(configuration.runtime)
        } catch { throw .runtimeFailed(error.description) }
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
        // Its tasks are the session's own, global executor or not: their handles are known, the keys act.
        let aggregator = Aggregator(observing: runtime, globalExecutor: false)
        run = ObservedRun(
            setup: ObservedSetup(
                configuration: aggregator.configuration, startedAt: runtime.startedAt,
                echoAddress: server.address.description,
                eventCostNanos: Runtime.measureEventCost()),
            history: configuration.history)
        turns = ObservationTurns(hub: runtime.telemetry)
    }

    deinit { stop() }

    /// Takes in every event recorded up to `now` and keeps the per-second samples on time. Cheap;
    /// call it often enough that the rings never fill (serve: every 50 ms).
    public func update(now: UInt64) {
        _ = turn(.update, now: now)
    }

    public func frame(now: UInt64) -> DashboardSnapshot {
        turn(.frame, now: now)!
    }

    /// One turn: the runtime's readings, with the echo server's counters and (for a frame) the
    /// demos and synthetic clients, taken in by the observer and handed to every sink.
    private func turn(_ kind: Observation.Turn, now: UInt64) -> DashboardSnapshot? {
        turns.turn(kind, now: now) { read in
            var o = read
            o.echo = server.reading()
            if kind == .frame {
                o.demos = demos.snapshot
                o.syntheticClients = clients?.count ?? 0
            }
            var frame = run.take(o)
            for sink in sinks { sink.record(o) }
            frame?.recording = sinks.lazy.compactMap(\.recordingStatus).first
            return frame
        }
    }

    public func frame(at instant: UInt64) -> DashboardSnapshot? { run.frame(at: instant) }

    public var history: HistorySpan? { run.history }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        run.workerTimeline(from: from, to: to, columns: columns)
    }

    /// The figures of a one-line status, from counters and worker states only: no per-task work.
    public func summary(now: UInt64) -> SessionSummary {
        let counters = runtime.telemetry.readCounters()
        let echo = server.reading()
        var process = turns.sampleProcess()
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
        case .follow(let task): run.follow(task)
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
