// The live frame source: a runviz runtime in this process, the echo server on it, the built-in
// synthetic clients, the demos the keys start, and the observer that turns the runtime's events and
// counters into one DashboardSnapshot per frame. `launch` draws its frames, `serve` prints them.
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
import RunvizRuntime
import RunvizTelemetry

public final class Session: FrameSource {
    public let configuration: SessionConfiguration
    public let runtime: Runtime
    public let server: EchoServer
    private var echo: EchoSampler
    private let clients: SyntheticClients?
    private let demos: DemoRunner
    private var aggregator: Aggregator
    private let merger: EventMerger
    private var probe = ProcessProbe()
    private var connectionCost = ConnectionCostProbe()
    /// Nanoseconds one recorded event costs on this machine, measured once at start.
    private let eventCost: Double
    private var stopped = false

    public init(_ configuration: SessionConfiguration) throws(SessionError) {
        try configuration.validate()
        self.configuration = configuration
        let runtime: Runtime
        do { runtime = try Runtime(configuration.runtime) } catch { throw .runtimeFailed(error.description) }
        let server: EchoServer
        do {
            server = try EchoServer(runtime: runtime, address: configuration.address, mode: configuration.mode)
        } catch {
            runtime.shutdown()
            throw .listen(error, configuration.address)
        }
        server.start()
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
        echo = EchoSampler(startedAt: runtime.startedAt)
        demos = DemoRunner(runtime: runtime, server: server, clients: clients)
        aggregator = Aggregator(observing: runtime)
        merger = EventMerger(hub: runtime.telemetry)
        eventCost = Runtime.measureEventCost()
    }

    deinit { stop() }

    /// Takes in every event recorded up to `now` and keeps the per-second samples on time. Cheap;
    /// call it often enough that the rings never fill (serve: every 50 ms).
    public func update(now: UInt64) {
        let started = runviz_thread_cpu_ns()
        aggregator.apply(merger.drain())
        let reading = server.stats.reading()
        aggregator.advance(now: now, counters: runtime.telemetry.readCounters())
        sampleEcho(reading, now: now)
        aggregator.accountWork(nanos: runviz_thread_cpu_ns() &- started)
    }

    public func frame(now: UInt64) -> DashboardSnapshot {
        let started = runviz_thread_cpu_ns()
        let hub = runtime.telemetry
        aggregator.apply(merger.drain())
        let reading = server.stats.reading()
        let publication = aggregator.publish(now: now, counters: hub.readCounters(), names: hub.names.all())
        sampleEcho(reading, now: now)
        let snapshot = publication.snapshot
        var process = probe.sample()
        connectionCost.sample(
            .init(
                tasks: reading.openTasks, threads: reading.openThreads, resident: process.residentBytes,
                virtual: process.virtualBytes))
        process.perTaskConnection = connectionCost.perTask
        process.perThreadConnection = connectionCost.perThread
        let frame = DashboardSnapshot(
            runtime: snapshot, echo: echoSnapshot(reading), process: process, demos: demos.snapshot,
            lints: publication.lints, timeline: publication.timeline,
            instrumentationCostNanos: InstrumentationCost.perJob(
                eventsOn: runtime.instrumentation, eventsPerSecond: snapshot.totals.eventsPerSecond,
                jobsPerSecond: snapshot.workers.reduce(0) { $0 + $1.runsPerSecond }, eventCost: eventCost),
            syntheticClients: clients?.count ?? 0)
        aggregator.accountWork(nanos: runviz_thread_cpu_ns() &- started)
        return frame
    }

    /// The figures of a one-line status, from counters and worker states only: no per-task work.
    public func summary(now: UInt64) -> SessionSummary {
        let hub = runtime.telemetry
        let counters = hub.readCounters()
        return SessionSummary(
            workers: aggregator.workers(now: now, counters: counters, names: hub.names.all()),
            echo: echoSnapshot(server.stats.reading()), replies: aggregator.replies(now: now),
            process: probe.sample(), liveTasks: counters.liveTasks, registeredFDs: runtime.registeredFDs,
            droppedEvents: counters.droppedEvents)
    }

    /// When the aggregator took its per-second sample in this call, the echo counters read with
    /// it become the echo server's sample of the same second.
    private func sampleEcho(_ reading: EchoReading, now: UInt64) {
        if aggregator.sampledAt == now { echo.sample(reading, at: now) }
    }

    private func echoSnapshot(_ reading: EchoReading) -> EchoSnapshot {
        echo.snapshot(reading, address: server.address.description, mode: EchoSnapshot.Mode(server.mode))
    }

    /// A live session can carry out every command.
    public func apply(_ command: Command) {
        switch command {
        case .follow(let task): aggregator.follow(task)
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
