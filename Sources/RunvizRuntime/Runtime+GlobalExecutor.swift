// `Runtime.installAsGlobalExecutor`: runviz as the process's global executor, so every job of an
// ordinary Swift program runs on its workers and is recorded, with no other change to the program.
// How: Executor/GlobalExecutorHook.swift (the hook, which takes every global enqueue),
// SwiftRuntime/DefaultExecutor.swift (the default executor: the timers of `Task.sleep`, and tasks
// that prefer `globalConcurrentExecutor`) and Executor/ScheduledJob.swift (how a global job runs).
// What stays outside: main-actor jobs (Swift 6.3.1 sends them to Dispatch's main queue and never
// calls `swift_task_enqueueMainExecutor_hook`), and Dispatch queues and NIO event loops used
// directly (their own threads; a continuation they resume comes back to runviz).

import Synchronization

/// The installed runtime, held for the life of the process: the process's jobs depend on it.
private let installedRuntime = Mutex<Runtime?>(nil)

extension Runtime {
    /// Whether this runtime is the process's global executor (`installAsGlobalExecutor`), shutdown or not.
    public var isGlobalExecutor: Bool { GlobalExecutorHook.isInstalled(scheduler) }

    /// Starts a runtime and makes it the process's global executor: from now on every job Swift
    /// would give its default global executor — `Task {}`, `Task.detached`, `async let` and
    /// task-group children, default actors' jobs, continuations resumed from any thread — runs on
    /// this runtime's workers, the way the default executor runs it, and is recorded like the jobs of
    /// `spawn`; `Task.sleep` and clock sleeps park on its timer heap, with their deadlines. It is
    /// also Swift's default executor, so `globalConcurrentExecutor` is this runtime.
    ///
    /// Call it first thing in `main` — a synchronous one, or the first line of an `async` one —
    /// before the program starts any task. The install holds the runtime for the life of the
    /// process (dropping the result shuts nothing down; `shutdown()` does). Pair it with `watch()`
    /// (RunvizWatch) to see the program in `runviz attach`.
    ///
    /// What stays outside: main-actor code still runs from Dispatch's main queue, as without it
    /// (Swift 6.3.1 never calls the main-executor hook); threads runviz does not own (NIO's event
    /// loops, Dispatch queues used directly) run their own work, and a task waiting on them shows as
    /// parked until they resume it. Without the standard library's executor SPI (a toolchain other
    /// than Swift 6.3), every job still runs here but `Task.sleep` sleeps on Dispatch's timer.
    ///
    /// Once it shuts down (`shutdown()`), global jobs and sleeps go back
    /// to Swift's default executor, those still queued or sleeping included; it stays installed, so
    /// a second install throws.
    ///
    /// - Throws: `RuntimeError.globalExecutorTaken` when another executor has taken over already (a
    ///   global-executor hook is set, such as SwiftNIO's, or this ran before),
    ///   `.globalExecutorUnavailable` when the Swift runtime has no such hook, and what `init` throws.
    @discardableResult
    public static func installAsGlobalExecutor(
        _ configuration: RuntimeConfiguration = RuntimeConfiguration()
    ) throws(RuntimeError) -> Runtime {
        try installAsGlobalExecutor(configuration, indexingTaskCode: true)
    }

    /// `indexingTaskCode`: whether to index the program's symbols, to name the tasks it starts
    /// without `spawn` or `Task(name:)` by their code (else by their kind). A program whose tasks
    /// are spawned (runviz's own sessions) saves the index's memory.
    package static func installAsGlobalExecutor(
        _ configuration: RuntimeConfiguration, indexingTaskCode: Bool
    ) throws(RuntimeError) -> Runtime {
        guard DefaultExecutor.canInstall else { throw .globalExecutorTaken }
        let runtime = try Runtime(configuration)
        runtime.scheduler.namesTaskCode.store(indexingTaskCode, ordering: .relaxed)
        switch GlobalExecutorHook.install(runtime.scheduler) {
        case .installed:
            DefaultExecutor.install(runtime.scheduler)
            installedRuntime.withLock { $0 = runtime }
            // Names for the program's first tasks: index its symbols while it starts (Runtime+TaskNames).
            if indexingTaskCode && runtime.scheduler.recorder.enabled && runtime.scheduler.taskLayout != nil {
                indexTaskCode()
            }
            return runtime
        case .taken: throw .globalExecutorTaken
        case .unavailable: throw .globalExecutorUnavailable
        }
    }
}
