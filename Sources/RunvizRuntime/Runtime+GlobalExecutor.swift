// `Runtime.installAsGlobalExecutor`: runviz as the process's global executor, so every job of an
// ordinary Swift program runs on its workers and is recorded, with no other change to the program.
// How: Executor/GlobalExecutorHook.swift (the hook) and Executor/ScheduledJob.swift (how a global job
// runs). What stays outside: main-actor jobs (Swift 6.3.1 sends them to Dispatch's main queue and
// never calls `swift_task_enqueueMainExecutor_hook`), the timers of `Task.sleep` (Dispatch's), tasks
// that prefer `globalConcurrentExecutor` (Dispatch's own executor, which bypasses the hook), and
// Dispatch queues and NIO event loops used directly.

extension Runtime {
    /// Starts a runtime and makes it the process's global executor: from now on every job Swift
    /// would give its default global executor — `Task {}`, `Task.detached`, `async let` and
    /// task-group children, default actors' jobs, continuations resumed from any thread — runs on
    /// this runtime's workers, the way the default executor runs it, and is recorded like the jobs of
    /// `spawn`. Call it early in `main` (a synchronous one, or an `async` one); keep the runtime.
    ///
    /// Once it shuts down (`shutdown`, or the last reference dropped), global jobs go back to Swift's
    /// default executor, those still queued included; the hook stays, so a second install throws.
    ///
    /// - Throws: `RuntimeError.globalExecutorTaken` when a global-executor hook is set already (another
    ///   executor took over, or this ran before), `.globalExecutorUnavailable` when the Swift runtime
    ///   has no such hook, and what `init` throws.
    public static func installAsGlobalExecutor(
        _ configuration: RuntimeConfiguration = RuntimeConfiguration()
    ) throws(RuntimeError) -> Runtime {
        let runtime = try Runtime(configuration)
        switch GlobalExecutorHook.install(runtime.scheduler) {
        case .installed: return runtime
        case .taken: throw .globalExecutorTaken
        case .unavailable: throw .globalExecutorUnavailable
        }
    }
}
