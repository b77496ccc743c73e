// The public face of the runviz runtime: build it, spawn tasks on it, block on it from a
// synchronous main, run blocking work on its pool, sleep on its timers, and shut it down.
//
// Threads it owns: `workers` worker threads (the executor; one of them at a time also runs the I/O
// driver), up to `maxBlockingThreads` blocking-pool threads, and one watchdog that marks a worker
// BLOCKED when a job overruns the threshold, hands the idle driver to a sleeping worker when the
// one that held it is stuck in a long job, and turns the driver itself while every worker is stuck
// (so readiness and timers are seen when they happen, and their tasks wait visibly). It records
// events and counters into its TelemetryHub and names no reader of them: whoever watches (the
// dashboard's Session, RunvizWatch's observer thread) drains the hub and asks, with `onShutdown`,
// to be stopped first. Every task the runtime creates carries the executor preference, so its
// jobs, its `async let` children and its task-group children run on the workers (a bare `Task {}`
// would leave for Swift's global pool), unless the runtime is the process's global executor
// (Runtime+GlobalExecutor.swift): then every global job comes here, and `spawn` starts a plain
// task, without the preference Swift would read under a lock at each of its task's switches.
//
// Shutdown (ShutdownSequence.swift): run the `onShutdown` hooks, newest first; stop accepting work, cancel every live task and let the
// workers run each to its end, at most `shutdownTimeout`; then stop and join the workers, the
// watchdog and the blocking pool, and wake every `blockOn` caller (it throws `RuntimeError.shutDown`
// unless its task finished first). A spawn after shutdown returns a finished handle whose value
// throws `RuntimeError.shutDown`. Called on one of the runtime's own threads (a task, a blocking
// job, or a task dropping the last reference to the runtime), shutdown cancels every task and
// returns; the rest runs on a thread of its own. Each worker holds the scheduler strongly until its
// loop exits, so the runtime object may be gone while its last worker winds down. No thread holds
// the runtime itself, so dropping it shuts it down (deinit).

import CRunvizLinux
import RunvizLock
import RunvizSystem
import RunvizTelemetry
import Synchronization

public final class Runtime: Sendable {
    public let configuration: RuntimeConfiguration
    /// Where the runtime's events and counters go: their one reader (RunvizWatch's observer, the
    /// dashboard's Session) drains its rings. Outside the package, `counters` reads the counters.
    package let telemetry: TelemetryHub
    let scheduler: Scheduler
    let recorder: Recorder
    let blockingPool: BlockingPool
    /// Tasks spawned and not finished, for shutdown to cancel and wait for.
    let tasks = LiveTasks()
    private let sequence: ShutdownSequence
    private let stopped = Atomic<Bool>(false)
    /// Monotonic time the runtime started.
    public let startedAt: UInt64
    /// What `shutdown` runs first (`onShutdown`); nil once it has taken them.
    private let shutdownHooks = Lock<[@Sendable () -> Void]?>([])

    public init(_ configuration: RuntimeConfiguration = RuntimeConfiguration()) throws(RuntimeError) {
        try configuration.validate()
        self.configuration = configuration
        startedAt = monotonicNow()
        let hub = TelemetryHub(
            workerCount: configuration.workers, ringCapacity: configuration.eventRingCapacity,
            enabled: configuration.instrumentation)
        telemetry = hub
        let recorder = Recorder(hub: hub)
        self.recorder = recorder
        let driver: Driver
        do { driver = try Driver(recorder: recorder) } catch { throw .startFailed(error.description) }
        let workers = (0..<configuration.workers).map {
            Worker(index: $0, metrics: hub.workers[$0], ring: hub.makeRing(label: "worker-\($0)"))
        }
        scheduler = Scheduler(workers: workers, recorder: recorder, driver: driver)
        for w in workers { w.scheduler = scheduler }
        blockingPool = BlockingPool(
            maxThreads: configuration.maxBlockingThreads,
            keepAliveNanos: Int64(configuration.blockingKeepAlive.nanoseconds), recorder: recorder)
        let watchdogParker = Parker()
        sequence = ShutdownSequence(
            scheduler: scheduler, blockingPool: blockingPool, tasks: tasks, watchdogParker: watchdogParker,
            timeoutNanos: configuration.shutdownTimeout.nanoseconds)
        for w in workers { try startThread { w.run() } }
        // The watchdog captures its parts, never `self`: a thread holding the runtime would keep it
        // from ever being dropped.
        let watch = Watchdog(
            scheduler: scheduler, recorder: recorder, telemetry: hub, parker: watchdogParker,
            threshold: configuration.blockedThreshold.nanoseconds)
        try startThread { watch.run() }
    }

    deinit { shutdown() }

    /// Starts one of the runtime's joinable threads (each names itself: worker, watchdog).
    private func startThread(_ body: @escaping () -> Void) throws(RuntimeError) {
        do {
            let thread = try OSThread.start(name: nil, body)
            sequence.threads.withLock { $0.append(thread) }
        } catch {
            throw .startFailed("pthread_create failed (\(error.errno))")
        }
    }

    /// The executor, for code that wants to pass it as a task executor preference itself.
    public var executor: any TaskExecutor { scheduler }

    // MARK: spawn

    /// Starts `body` as a new task on the runtime's workers (tokio::spawn). After `shutdown` nothing
    /// starts: the handle is finished at once and its value throws `RuntimeError.shutDown`.
    @discardableResult
    public func spawn<Success: Sendable>(
        name: String, priority: TaskPriority? = nil, _ body: @escaping @Sendable () async throws -> Success
    ) -> JoinHandle<Success> {
        if isShutDown { return .refused() }
        let nameID = telemetry.names.intern(name)
        let recorder = self.recorder
        let hub = telemetry
        let tasks = self.tasks
        hub.metrics.taskSpawned()
        // Read again by the enqueue that records the spawn (WaitSlot says why once is enough).
        let spawnRecorded = recorder.enabled
        let task = tasks.start(
            {
                WakeCause.with(.spawn, UInt64(nameID)) {
                    let operation: @Sendable () async throws -> Success = {
                        // One cancellation handler for every fd wait of the task (WaitSlot).
                        let slot = WaitSlot(
                            owner: TaskIdentity.current, nameID: nameID, spawnRecorded: spawnRecorded)
                        do {
                            let value = try await SwiftRuntime.withWaitSlot(slot, body)
                            slot.announce(recorder)
                            Runtime.finish(recorder, hub, tasks, cancelled: false)
                            return value
                        } catch {
                            let cancelled = error is CancellationError || Task.isCancelled
                            slot.announce(recorder)
                            Runtime.finish(recorder, hub, tasks, cancelled: cancelled)
                            throw error
                        }
                    }
                    // On the process's global executor a plain task's jobs come here anyway, and a
                    // preference would cost: Swift reads it under the task's status-record lock at
                    // every switch (Performance.md, "The executor preference").
                    if GlobalExecutorHook.isInstalled(scheduler) {
                        return Task<Success, Error>(priority: priority, operation: operation)
                    }
                    return Task<Success, Error>(executorPreference: scheduler, priority: priority, operation: operation)
                }
            }, id: TaskIdentity.of)
        let id = TaskIdentity.of(task)
        return JoinHandle(id: TaskID(id), task: task, state: JoinState(task: id, recorder: recorder, tasks: tasks))
    }

    /// Records the end of a spawned task; whoever awaits its handle is woken "by this task".
    private static func finish(
        _ recorder: Recorder, _ hub: TelemetryHub, _ tasks: LiveTasks, cancelled: Bool
    ) {
        let id = TaskIdentity.current
        recorder.record(cancelled ? .cancelled : .completed, task: id, worker: WorkerContext.currentIndex)
        hub.metrics.taskFinished()
        tasks.finished(id)
        WakeCause.set(.task, id)
    }

    /// Runs `body` on the runtime and blocks the calling thread until it finishes (tokio's block_on).
    /// Call it from a synchronous context, never from a runtime worker. A `shutdown` meanwhile (from
    /// any thread) cancels its task like every other; unless the task still returns a value, it
    /// throws `RuntimeError.shutDown`.
    ///
    /// On the main thread (outside any task) it runs Dispatch's main queue while it waits, as an
    /// `async main` does, so `body` may hop to `@MainActor` (MainQueueWaiter.swift).
    public func blockOn<Success: Sendable>(
        name: String = "main", _ body: @escaping @Sendable () async throws -> Success
    ) throws -> Success {
        if let w = WorkerContext.current, w.scheduler === scheduler { throw RuntimeError.blockOnFromWorker }
        let mainQueue = MainQueueWaiter.make()
        let parker = Parker()
        let wake: @Sendable () -> Void
        if let mainQueue { wake = { mainQueue.wake() } } else { wake = { parker.unpark() } }
        let key = ObjectIdentifier(parker)
        // Registered before the look at `isShutDown`: a shutdown either sees this waiter or is seen.
        sequence.blockedCallers.withLock { $0[key] = wake }
        defer { _ = sequence.blockedCallers.withLock { $0.removeValue(forKey: key) } }
        if isShutDown { throw RuntimeError.shutDown }
        let box = Lock<Result<Success, Error>?>(nil)
        let handle = spawn(name: name) {
            let r: Result<Success, Error>
            do { r = .success(try await body()) } catch { r = .failure(error) }
            box.withLock { $0 = r }
            wake()
        }
        // This thread waits for the task: its handle is awaited, by no task.
        handle.state?.awaited(by: 0)
        while true {
            if let r = box.withLock({ $0 }) {
                if case .failure(let error) = r, error is CancellationError, isShutDown { throw RuntimeError.shutDown }
                return try r.get()
            }
            if sequence.isComplete { throw RuntimeError.shutDown }
            if let mainQueue { mainQueue.wait() } else { parker.park() }
        }
    }

    // MARK: blocking pool

    /// Runs `work` on the blocking pool; the calling task parks until it finishes (tokio's spawn_blocking).
    public func spawnBlocking<T: Sendable>(name: String = "blocking", _ work: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        let task = TaskIdentity.current
        let pool = blockingPool
        let recorder = self.recorder
        let result = await withUnsafeContinuation { (c: UnsafeContinuation<Result<T, Error>, Never>) in
            recorder.parked(task, on: .blockingPool)
            pool.submit(task: task) {
                let r: Result<T, Error>
                do { r = .success(try work()) } catch { r = .failure(error) }
                WakeCause.with(.blockingPool) { c.resume(returning: r) }
            }
        }
        return try result.get()
    }

    // MARK: time

    /// Suspends the current task for `duration` on the runtime's timer heap (tokio::time::sleep).
    /// A negative duration is no time; one too long for the clock (centuries) never ends unless the
    /// task is cancelled. Cancelled, it throws `CancellationError` at once and leaves nothing behind
    /// (its timer entry is dropped from the heap).
    public func sleep(for duration: Duration) async throws {
        try await scheduler.sleep(for: duration)
    }

    /// Re-queues the current task behind the ready ones (tokio::task::yield_now).
    public func yieldNow() async { await scheduler.yieldNow() }

    /// The task running this code, by the id the dashboard shows (`TaskID.none` outside a task).
    public static var currentTask: TaskID { TaskID(TaskIdentity.current) }

    /// Nanoseconds on the runtime's monotonic clock (the clock of every event).
    public static var now: UInt64 { monotonicNow() }

    // MARK: instrumentation

    /// Switches event recording on or off while running (counters always run).
    public var instrumentation: Bool {
        get { telemetry.enabled }
        set { telemetry.enabled = newValue }
    }

    /// Every counter the runtime publishes, read now (relaxed loads: each value is current, the set is
    /// not a consistent cut). Counters run whether events are recorded or not.
    public var counters: CounterReading { telemetry.readCounters() }

    /// fds currently registered with the reactor.
    public var registeredFDs: Int { scheduler.driver.registered.load(ordering: .relaxed) }

    // MARK: shutdown

    public var isShutDown: Bool { stopped.load(ordering: .relaxed) }

    /// Stops the runtime (see the file header): cancels every task and lets each run to its end,
    /// for at most `configuration.shutdownTimeout`; then stops and joins every thread and wakes
    /// every `blockOn` caller. Idempotent. From any other thread it returns when all that is done.
    /// From one of the runtime's own threads (a task, a blocking job) it returns once every task is
    /// cancelled, and the rest runs on a thread of its own: the caller's task is one of those it waits for.
    public func shutdown() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let hooks = shutdownHooks.withLock { hooks in
            defer { hooks = nil }
            return hooks ?? []
        }
        for hook in hooks.reversed() { hook() }
        sequence.begin()
        let onWorker = WorkerContext.current.map { $0.scheduler === scheduler } ?? false
        if onWorker || blockingPool.runsOnPoolThread {
            sequence.finishOnAThreadOfItsOwn()
        } else {
            sequence.finish()
        }
    }

    /// Runs `hook` first when the runtime shuts down, before any task is cancelled, newest hook
    /// first: how an observer (RunvizWatch) makes its last turn while the run is as it was, and how
    /// the runtime keeps it alive without naming it. false: the runtime has shut down already, and
    /// `hook` will never run. A hook must not wait for the runtime's tasks.
    public func onShutdown(_ hook: @escaping @Sendable () -> Void) -> Bool {
        shutdownHooks.withLock { hooks in
            guard hooks != nil else { return false }
            hooks!.append(hook)
            return true
        }
    }

    /// Tasks still live when the workers stopped, abandoned unfinished (nil until shutdown is complete).
    public var tasksAbandonedAtShutdown: Int? { sequence.abandoned }
}
