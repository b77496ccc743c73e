// Swift's global executor, taken over: the process-wide `swift_task_enqueueGlobal_hook` points at
// `hook`, which hands every job Swift would give its own global executor (a `Task {}`,
// `Task.detached`, `async let` and task-group children without a preference, default actors' jobs,
// continuations resumed from any thread) to the installed runtime's Scheduler.
//
// Invariants: one runtime per process, installed at most once (`installed` is set once and never
// cleared; the Scheduler it names is retained for the life of the process, as the hook may run on
// any thread at any time). Once that runtime's shutdown has begun, the hook passes each job to
// `original`, Swift's own global executor, and the jobs still queued at the end of shutdown go
// there too (`handBack`): a globally enqueued job always runs, on runviz while it runs and on
// Swift's default executor after.

import Synchronization

enum GlobalExecutorHook {
    /// The address of the Scheduler that takes global jobs (0: none installed), retained.
    private static let installed = Atomic<UInt>(0)
    /// Swift's own global enqueue, as the hook last received it (0: not seen yet).
    private static let original = Atomic<UInt>(0)

    static func install(_ scheduler: Scheduler) -> SwiftRuntime.HookInstall {
        let retained = Unmanaged.passRetained(scheduler)
        let address = UInt(bitPattern: retained.toOpaque())
        guard installed.compareExchange(expected: 0, desired: address, ordering: .acquiringAndReleasing).exchanged
        else {
            retained.release()
            return .taken
        }
        let result = SwiftRuntime.installGlobalEnqueueHook(hook)
        if result != .installed {
            installed.store(0, ordering: .releasing)
            retained.release()
        }
        return result
    }

    private static let hook: SwiftRuntime.GlobalEnqueueHook = { job, original in
        if GlobalExecutorHook.original.load(ordering: .relaxed) == 0 {
            GlobalExecutorHook.original.store(unsafeBitCast(original, to: UInt.self), ordering: .relaxed)
        }
        guard let raw = UnsafeRawPointer(bitPattern: installed.load(ordering: .acquiring)) else {
            return original(job)
        }
        let taken = Unmanaged<Scheduler>.fromOpaque(raw)._withUnsafeGuaranteedRef { $0.scheduleGlobal(job) }
        if !taken { original(job) }
    }

    /// Whether `scheduler` is the installed one.
    static func isInstalled(_ scheduler: Scheduler) -> Bool {
        installed.load(ordering: .acquiring) == UInt(bitPattern: Unmanaged.passUnretained(scheduler).toOpaque())
    }

    /// Gives jobs runviz will not run to Swift's own global executor.
    static func handBack(_ jobs: [ScheduledJob]) {
        guard !jobs.isEmpty else { return }
        // A global job came through the hook, which noted `original` first.
        let enqueue = unsafeBitCast(original.load(ordering: .relaxed), to: SwiftRuntime.GlobalEnqueue.self)
        for scheduled in jobs { enqueue(scheduled.job) }
    }
}
