// runviz as Swift's *default* executor, beside the global-enqueue hook (Executor/GlobalExecutorHook
// .swift) that `Runtime.installAsGlobalExecutor` sets: the one file that uses the standard library's
// SPIs `@_spi(ExperimentalCustomExecutors)` (`_createExecutors(factory:)`, `Task.defaultExecutor`,
// `PlatformExecutorFactory`) and `@_spi(ExperimentalScheduling)` (`SchedulingExecutor`).
//
// Why, when the hook already takes every global enqueue (checked on 6.3.1):
// - Timers. Every standard-library sleep (`Task.sleep(for:)`, `(nanoseconds:)`, `(until:clock:)`,
//   `ContinuousClock.sleep`, `SuspendingClock.sleep`) asks `Task.currentSchedulingExecutor`: the
//   running actor's executor, else the task's preference, else the default executor, the first that
//   is a SchedulingExecutor; the global-executor delay hooks are used only when none is, which on
//   Linux never happens (Dispatch's default executor is one). As the default executor, this object
//   gets each sleep's *wake job* in `enqueue(_:at:tolerance:clock:)`, once (never `after:`), and
//   parks the sleeper on runviz's heap (Scheduler.scheduleWake).
// - `globalConcurrentExecutor` is the default executor: a task that prefers it runs on runviz too.
// Its jobs run the way the hook's do, on the generic executor (Executor/ScheduledJob.swift), so the
// job counts stay the default executor's (an `async let` fib(12): 696 jobs either way).
//
// Clocks: runviz's heap runs on CLOCK_MONOTONIC, which is SuspendingClock on Linux; a deadline of
// any clock whose Duration is Swift's is converted once, as the time left (a ContinuousClock sleep
// across a system suspend fires late by the time suspended, never early). Tolerance only permits
// firing later; the heap fires at the deadline. Another clock's sleep goes to Swift's own timer.
//
// Invariants: `_createExecutors` writes a plain static (the standard library's default executor), so
// it must happen before any other thread reads it: `installAsGlobalExecutor` says to call it before
// the program starts tasks (the top of a synchronous main, or the first line of an `async main`,
// where only the main task exists). It runs at most once, after the hook is set, and the executor
// is never uninstalled: from shutdown on, its jobs and timers go to Swift's own default executor
// (`swiftDefault`, Dispatch's, whose `enqueue` reaches Dispatch directly, not the hook), and so do
// the wake jobs still on the heap (`handBack`).
//
// Without the SPI (a toolchain other than 6.3 until this file is checked against it, or
// `-Xswiftc -DRUNVIZ_NO_EXECUTOR_SPI`) the hook works alone: every job still runs on runviz, but a
// `Task.sleep` sleeps on Dispatch's timer (the task shows `parked: other`, no deadline, woken from
// outside) and a task that prefers `globalConcurrentExecutor` runs on Dispatch.

#if compiler(>=6.3) && compiler(<6.4) && !RUNVIZ_NO_EXECUTOR_SPI

    @_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency
    import Synchronization

    final class DefaultExecutor: TaskExecutor, SchedulingExecutor, @unchecked Sendable {
        private let scheduler: Scheduler
        /// Swift's own default executor, Dispatch's: for what runviz no longer takes.
        private let swiftDefault: any TaskExecutor & SchedulingExecutor

        private init(scheduler: Scheduler, swiftDefault: any TaskExecutor & SchedulingExecutor) {
            self.scheduler = scheduler
            self.swiftDefault = swiftDefault
        }

        /// Whether this process's default executor is still Swift's own, which `install` replaces.
        static var canInstall: Bool {
            Task.defaultExecutor as AnyObject === PlatformExecutorFactory.defaultExecutor as AnyObject
                && PlatformExecutorFactory.defaultExecutor is any SchedulingExecutor
        }

        /// Makes runviz's scheduler the default executor (after `canInstall`).
        static func install(_ scheduler: Scheduler) {
            guard let swiftDefault = PlatformExecutorFactory.defaultExecutor as? any TaskExecutor & SchedulingExecutor
            else { return }
            Factory.pending.withLock { $0 = DefaultExecutor(scheduler: scheduler, swiftDefault: swiftDefault) }
            _createExecutors(factory: Factory.self)
        }

        /// Gives the wake jobs left on the heap at shutdown to Swift's own timer, each with its time left.
        static func handBack(_ slots: [TimerSlot]) {
            guard !slots.isEmpty, let swiftDefault = PlatformExecutorFactory.defaultExecutor as? any SchedulingExecutor
            else { return }
            let now = monotonicNow()
            for slot in slots {
                guard case .wakeJob(let job)? = slot.take() else { continue }
                let left = Duration.nanoseconds(Int64(clamping: slot.deadline &- min(now, slot.deadline)))
                swiftDefault.enqueue(ExecutorJob(job), after: left, tolerance: nil, clock: SuspendingClock())
            }
        }

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            if !scheduler.scheduleGlobal(job) { swiftDefault.enqueue(job) }
        }

        func enqueue<C: Clock>(
            _ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C
        ) {
            Self.scheduleWake(UnownedJob(job), at: instant, tolerance: tolerance, clock: clock, on: scheduler)
        }

        func enqueue<C: Clock>(
            _ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C
        ) {
            let instant = clock.now.advanced(by: delay)
            Self.scheduleWake(UnownedJob(job), at: instant, tolerance: tolerance, clock: clock, on: scheduler)
        }

        /// A sleep's wake job, on `scheduler`'s heap, or else on Swift's own timer.
        static func scheduleWake<C: Clock>(
            _ wake: UnownedJob, at instant: C.Instant, tolerance: C.Duration?, clock: C, on scheduler: Scheduler
        ) {
            if let left = clock.now.duration(to: instant) as? Duration, scheduler.scheduleWake(wake, after: left) {
                return
            }
            (PlatformExecutorFactory.defaultExecutor as? any SchedulingExecutor)?.enqueue(
                ExecutorJob(wake), at: instant, tolerance: tolerance, clock: clock)
        }

        /// What `_createExecutors` reads: the main actor's executor as it is, and runviz's.
        private enum Factory: ExecutorFactory {
            static let pending = Mutex<DefaultExecutor?>(nil)
            static var mainExecutor: any MainExecutor { MainActor.executor }
            static var defaultExecutor: any TaskExecutor { pending.withLock { $0! } }
        }
    }

    /// The scheduler as a SchedulingExecutor: a sleep in a task that prefers runviz (everything
    /// `Runtime.spawn` starts) reaches it first, installed or not (the task's preference comes before
    /// the default executor), and parks on the heap the same way. Its wake job, run at the deadline,
    /// resumes the sleeper, which comes back to the scheduler as its preference asks.
    extension Scheduler: SchedulingExecutor {
        func enqueue<C: Clock>(
            _ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C
        ) {
            DefaultExecutor.scheduleWake(UnownedJob(job), at: instant, tolerance: tolerance, clock: clock, on: self)
        }

        func enqueue<C: Clock>(
            _ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C
        ) {
            let instant = clock.now.advanced(by: delay)
            DefaultExecutor.scheduleWake(UnownedJob(job), at: instant, tolerance: tolerance, clock: clock, on: self)
        }
    }

#else

    /// Without the SPI there is no default-executor install: the hook works alone.
    enum DefaultExecutor {
        static var canInstall: Bool { true }
        static func install(_ scheduler: Scheduler) {}
        /// No wake job reaches the heap without the install.
        static func handBack(_ slots: [TimerSlot]) {}
    }

#endif
