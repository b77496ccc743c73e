// Every Swift runtime entry point runviz calls by name, in this one file, each beside the runtime
// header's declaration and the standard library's own Swift spelling of it, and each with the public
// API that stands in for it. Nothing else in RunvizRuntime names a runtime symbol: a new one comes
// here with its header line, its fallback and a test. The one exception is TaskLayout.swift, which
// reads the runtime's private task layout (and the debugger variables that say which layout it is)
// behind its own version check, with "no reading" as its fallback.
//
// The policy, one compile-time switch for all of them:
//   fast path  `hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API`: the entry
//              points are declared with `@_silgen_name`. The compiler reserves the names it calls
//              itself (its RuntimeFunctions.def; lib/Sema/TypeCheckAttr.cpp, `canDeclareSymbolName`)
//              and warns that declaring one "will become an error"; the cancellation records are
//              among them, the job's task id is not. The same check lets a module through that enables
//              the experimental feature AllowRuntimeSymbolDeclarations, which Package.swift does for
//              this target: the compiler's own opt-in, not a silenced warning, and not an unsafe flag
//              (SwiftPM counts `.unsafeFlags` alone as unsafe, so a package that uses runviz by URL
//              still may). Swift 6.3.1 builds the fast path without a warning.
//   fallback   otherwise (a compiler without the feature, or `-Xswiftc -DRUNVIZ_PUBLIC_RUNTIME_API`):
//              public API only, with the same behaviour and these costs (measured 2026-12-05):
//              - cancellation: `withTaskCancellationHandler`, which is not inlined: it and its
//                operation closure keep two more async frames in a parked task, and a parked echo
//                connection's task opens a second 1 KiB slab of the task allocator. Scripts/
//                bench-idle-memory.sh, VmRSS growth per idle connection (10,000, two runs each):
//                `serve` 2,302 and 2,419 B on the fast path, 3,397 and 3,378 B on the fallback;
//                `--no-instrumentation` 1,799 and 1,780 B, 2,817 and 2,800 B.
//              - task ids: the number `UnownedJob.description` prints, parsed: a string built per job
//                started, about 200 ns (-O, one call) where the entry point takes 3 ns; the current
//                task's id off a worker through `withUnsafeCurrentTask`, about 290 instructions.
// A compiler without the feature (an older one, or one that drops it) builds the fallback by itself,
// so no toolchain fails the build over these names; one that has the feature accepts them by its
// definition.
//
// Why each declaration is sound: its Swift signature is the one the standard library itself declares
// by `@_silgen_name` in _Concurrency, and every symbol is exported by libswift_Concurrency
// (SWIFT_EXPORT_FROM). The cancellation pair is `@usableFromInline` there
// (stdlib/public/Concurrency/TaskCancellation.swift; the installed _Concurrency.swiftinterface repeats
// it): ABI that a compiled client may call, so it cannot change. The task id is `internal`
// (stdlib/public/Concurrency/Executor.swift), the number `UnownedJob.description` prints; the test
// holds the two readings equal.
//
// The global-executor hook (`swift_task_enqueueGlobal_hook`, Concurrency.h's SWIFT_CONCURRENCY_HOOK)
// is a variable, which `@_silgen_name` cannot declare on 6.3.1 ("global variable must be a
// compile-time constant to use @_silgen_name attribute"), and Dispatch's main-queue entry points
// (`_dispatch_get_main_queue_handle_4CF`, `_dispatch_main_queue_callback_4CF`, what CoreFoundation's
// run loop calls on Linux) are C functions of libdispatch: the C shim (CRunvizLinux,
// `runviz_swift_install_enqueue_global_hook`, `runviz_dispatch_main_queue_*`) finds all three by name
// with dlsym, and this file is their one Swift door (as for the demangler, `swift_demangle`, a C
// function of libswiftCore: `runviz_swift_demangle`). They are outside the switch above: no compiler
// flag is involved, and a runtime or libdispatch without them answers "unavailable" at run time
// (`installAsGlobalExecutor` throws; `blockOn` on the main thread waits without draining the main
// queue, as before).

import CRunvizLinux
import Glibc

#if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API

    // include/swift/Runtime/Concurrency.h:
    //   /// Create and add an cancellation record to the task.
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   CancellationNotificationStatusRecord*
    //   swift_task_addCancellationHandler(
    //       CancellationNotificationStatusRecord::FunctionType handler,
    //       void *handlerContext);
    // include/swift/ABI/TaskStatus.h, class CancellationNotificationStatusRecord:
    //   using FunctionType = SWIFT_CC(swift) void (SWIFT_CONTEXT void *);
    // A Swift `() -> Void` is passed as exactly that pair (function, context): the standard library
    // declares it `_taskAddCancellationHandler(handler: () -> Void) -> UnsafeRawPointer`. A task
    // already cancelled runs the handler at once, inside this call, and gets no record (null:
    // declared optional here, the same in the ABI).
    @_silgen_name("swift_task_addCancellationHandler")
    private func _taskAddCancellationHandler(handler: () -> Void) -> UnsafeRawPointer?

    // include/swift/Runtime/Concurrency.h:
    //   /// Remove the passed cancellation record from the task.
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   void swift_task_removeCancellationHandler(
    //       CancellationNotificationStatusRecord *record);
    // Once it returns, the handler is not running and will not run (TaskStatus.h's comment on the
    // record). The standard library: `_taskRemoveCancellationHandler(record: UnsafeRawPointer)`.
    @_silgen_name("swift_task_removeCancellationHandler")
    private func _taskRemoveCancellationHandler(record: UnsafeRawPointer?)

    // include/swift/Runtime/Concurrency.h:
    //   /// Return the 64bit TaskID (if the job is an AsyncTask),
    //   /// or the 32bits of the job Id otherwise.
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   uint64_t swift_task_getJobTaskId(Job *job);
    // The standard library: `_getJobTaskId(_ job: UnownedJob) -> UInt64` (UnownedJob is the job
    // pointer). A task object is its own job (AsyncTask derives from Job), so a `Task` handle or an
    // `UnsafeCurrentTask`, each a single task reference, reads as its job.
    @_silgen_name("swift_task_getJobTaskId")
    private func _getJobTaskId(_ job: UnsafeRawPointer) -> UInt64

    // include/swift/Runtime/Concurrency.h:
    //   /// Return the current task, if there is one.
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   AsyncTask *swift_task_getCurrent(void);
    // The standard library: `_getCurrentAsyncTask() -> Builtin.NativeObject?` (Task.swift), which
    // `withUnsafeCurrentTask` calls. Read as a raw pointer, only to read the task's id at once: no
    // reference is taken, and a task that is running on this thread outlives the read.
    @_silgen_name("swift_task_getCurrent")
    private func _getCurrentTask() -> UnsafeRawPointer?

    // include/swift/Runtime/Concurrency.h:
    //   /// Return the JobFlags of the job (kind, priority, child/future/group/async-let bits).
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   JobFlags swift_task_getJobFlags(AsyncTask* task);
    // The standard library: `getJobFlags(_ task: Builtin.NativeObject) -> JobFlags` (Task.swift),
    // JobFlags a struct of one `Int32`, the FlagSet of include/swift/ABI/MetadataValues.h; the
    // entry point reads the Job header, so any job, task or not, reads as one.
    @_silgen_name("swift_task_getJobFlags")
    private func _getJobFlags(_ job: UnsafeRawPointer) -> UInt32

    // include/swift/Runtime/Concurrency.h:
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   void swift_task_localValuePush(const HeapObject *key,
    //                                  /* +1 */ OpaqueValue *value,
    //                                  const Metadata *valueType);
    // The key is the `TaskLocal` object; the value is taken (moved) from the buffer `value` points
    // to; `valueType` is the metadata of the TaskLocal's `Value`, one pointer as `Any.Type` is. The
    // standard library: `_taskLocalValuePush(key:value:)`, which `TaskLocal.withValue` calls.
    @_silgen_name("swift_task_localValuePush")
    private func _taskLocalValuePush(key: UnsafeRawPointer, value: UnsafeMutableRawPointer, type: Any.Type)

    // include/swift/Runtime/Concurrency.h:
    //   SWIFT_EXPORT_FROM(swift_Concurrency) SWIFT_CC(swift)
    //   void swift_task_localValuePop();
    // Drops the value pushed last by this task. The standard library: `_taskLocalValuePop()`.
    @_silgen_name("swift_task_localValuePop")
    private func _taskLocalValuePop()

#endif

enum SwiftRuntime {
    /// Which way this build reaches the runtime.
    enum Path: Equatable {
        case entryPoints
        case publicAPI
    }

    #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
        static let path = Path.entryPoints
    #else
        static let path = Path.publicAPI
    #endif

    /// `withTaskCancellationHandler`: `onCancel` runs once if the task is cancelled while `operation`
    /// runs, at once if it already was, never after `operation` returns. On the fast path this is
    /// the standard library's body inlined into the caller, so neither it nor `operation` needs an
    /// async frame of its own.
    @inline(__always)
    static func withCancellationHandler<T>(
        _ operation: () async -> T, onCancel: @Sendable () -> Void
    ) async -> T {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            let record = _taskAddCancellationHandler(handler: onCancel)
            defer { _taskRemoveCancellationHandler(record: record) }
            return await operation()
        #else
            return await withTaskCancellationHandler(operation: operation, onCancel: onCancel)
        #endif
    }

    #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
        /// The WaitSlot's cancellation record for the running task. Not generic and never inlined:
        /// one handler function for every spawned task, which TaskLayout knows them by.
        @inline(never)
        private static func addCancellationHandler(of slot: WaitSlot) -> UnsafeRawPointer? {
            let record = _taskAddCancellationHandler { slot.cancel() }
            TaskLayout.measured?.noteSpawnHandler(record, slot: Unmanaged.passUnretained(slot).toOpaque())
            return record
        }
    #endif

    /// Runs `body` with `slot` as the task's WaitSlot and `slot.cancel` as its cancellation handler,
    /// both for the whole body. On the fast path neither the task-local nor the handler adds an
    /// async frame: a spawned echo connection's frames still fit the task allocator's first slab
    /// (`withValue` and `withTaskCancellationHandler` took a second one, 1,016 B a connection).
    @inline(__always)
    static func withWaitSlot<T>(_ slot: WaitSlot, _ body: () async throws -> T) async throws -> T {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            var value = UnsafeMutableRawPointer(Unmanaged.passRetained(slot).toOpaque())
            _taskLocalValuePush(
                key: unsafeBitCast(WaitSlot.$current, to: UnsafeRawPointer.self), value: &value,
                type: WaitSlot?.self)
            defer { _taskLocalValuePop() }
            let record = addCancellationHandler(of: slot)
            defer { _taskRemoveCancellationHandler(record: record) }
            return try await body()
        #else
            return try await WaitSlot.$current.withValue(slot) {
                try await withTaskCancellationHandler(operation: body) { slot.cancel() }
            }
        #endif
    }

    /// The id of the task `job` belongs to (0: a job of no task). Read it before running the job:
    /// a job may be freed once it has run.
    @inline(__always)
    static func taskID(of job: UnownedJob) -> UInt64 {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            _getJobTaskId(unsafeBitCast(job, to: UnsafeRawPointer.self))
        #else
            describedTaskID(of: job)
        #endif
    }

    /// The id of the task behind a `Task` handle: the task object is its own job.
    static func taskID<Success, Failure>(of task: Task<Success, Failure>) -> UInt64 {
        taskID(of: unsafeBitCast(task, to: UnownedJob.self))
    }

    /// The id of a running task, as `withUnsafeCurrentTask` hands it out.
    @inline(__always)
    static func taskID(of task: UnsafeCurrentTask) -> UInt64 {
        taskID(of: unsafeBitCast(task, to: UnownedJob.self))
    }

    /// `Task.isCancelled` without the retain and release of the current task around the read
    /// (about 40 instructions, callgrind, 2026-12-06), from the task's status where the task layout
    /// is the measured one: a task running on this thread outlives the read.
    @inline(__always)
    static func isCurrentTaskCancelled() -> Bool {
        if let layout = TaskLayout.measured, let task = currentTask() { return layout.isCancelled(running: task) }
        return Task.isCancelled
    }

    /// The task running on this thread, as the runtime's object (nil: no task, or not on the
    /// entry-point path).
    @inline(__always)
    static func currentTask() -> UnsafeRawPointer? {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            _getCurrentTask()
        #else
            nil
        #endif
    }

    /// The id of the task running on this thread (0: no task). The fallback, `withUnsafeCurrentTask`,
    /// copies its resilient `UnsafeCurrentTask?` through value witnesses: about 290 instructions a
    /// read (callgrind, 2026-12-06), where the entry points take a few dozen.
    @inline(__always)
    static func currentTaskID() -> UInt64 {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            guard let task = _getCurrentTask() else { return 0 }
            return _getJobTaskId(task)
        #else
            withUnsafeCurrentTask { task in task.map { taskID(of: $0) } ?? 0 }
        #endif
    }

    /// The id `job.description` prints ("UnownedJob(id: 42)", "UnownedJob(id: nil)" for 0): the public
    /// API's reading of the same field, which the fallback uses and the tests compare against.
    /// Read byte by byte: the description costs a few hundred ns, a substring search ten times that.
    static func describedTaskID(of job: UnownedJob) -> UInt64 {
        let text = job.description.utf8
        guard let space = text.lastIndex(of: UInt8(ascii: " ")) else { return 0 }
        var id: UInt64 = 0
        for byte in text[text.index(after: space)...] {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { break }
            id = id &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
        }
        return id
    }

    /// The JobFlags of `job`: kind in bits 0-7 (0: a task), priority in 8-15, and for a task
    /// IsChildTask (24), IsFuture (25), IsGroupChildTask (26), IsAsyncLetTask (28).
    /// 0 on the public-API path, which has no reading of them.
    @inline(__always)
    static func jobFlags(_ job: UnownedJob) -> UInt32 {
        #if hasFeature(AllowRuntimeSymbolDeclarations) && !RUNVIZ_PUBLIC_RUNTIME_API
            _getJobFlags(unsafeBitCast(job, to: UnsafeRawPointer.self))
        #else
            0
        #endif
    }

    /// The demangled text of a Swift symbol (`$s…`), or nil when it is none or the runtime has no
    /// demangler. A string and a malloc per call: called once per code address, off the hot path.
    static func demangle(_ symbol: UnsafePointer<CChar>) -> String? {
        guard let text = runviz_swift_demangle(symbol, strlen(symbol)) else { return nil }
        defer { free(text) }
        return String(cString: text)
    }

    // MARK: the global executor

    /// The runtime's own global enqueue, which the hook receives as `original`: Concurrency.h,
    /// `typedef SWIFT_CC(swift) void (*swift_task_enqueueGlobal_original)(Job *job)`.
    typealias GlobalEnqueue = @convention(thin) (UnownedJob) -> Void
    /// Concurrency.h, `typedef SWIFT_CC(swift) void (*swift_task_enqueueGlobal_hook_t)(Job *job,
    /// swift_task_enqueueGlobal_original original)`: a thin Swift function is that one pointer.
    typealias GlobalEnqueueHook = @convention(thin) (UnownedJob, GlobalEnqueue) -> Void

    enum HookInstall: Equatable {
        case installed
        /// A hook is set already: another executor took over, or runviz did.
        case taken
        /// This Swift runtime has no such hook.
        case unavailable
    }

    /// Points `swift_task_enqueueGlobal_hook` at `hook` unless a hook is set (compare-and-swap from
    /// null): from then on every job the runtime would hand its global executor goes to `hook`.
    static func installGlobalEnqueueHook(_ hook: GlobalEnqueueHook) -> HookInstall {
        switch runviz_swift_install_enqueue_global_hook(unsafeBitCast(hook, to: UnsafeRawPointer.self)) {
        case 0: return .installed
        case EBUSY: return .taken
        default: return .unavailable
        }
    }

    /// The generic executor, the one the default global executor runs its jobs on:
    /// include/swift/ABI/Executor.h, `constexpr static SerialExecutorRef generic() { return
    /// SerialExecutorRef(nullptr, 0); }`, and Dispatch's `jobInvoke` (Task.cpp) calls
    /// `swift_job_run(job, SerialExecutorRef::generic())` for a job of the global executor.
    /// `UnownedSerialExecutor` is `@frozen` around that same two-word `Builtin.Executor`; the
    /// standard library's own `_getGenericSerialExecutor()` is internal. Run on it, a job runs with
    /// no executor of its own and its task's own preference (`swift_job_run` takes the task executor
    /// from the job's preference when the executor is generic, Actor.cpp `swift_job_runImpl`), so a
    /// task that asked for no executor keeps running inline at its next hop to nonisolated code, as
    /// on the default executor; run as a task executor, it would be sent back to the global executor
    /// at that hop (2.7× the jobs of an `async let` Fibonacci, measured). A constant computed where
    /// it is used: a `static let` would cost a `swift_once` check on every job of the global executor.
    @inline(__always)
    static var genericExecutor: UnownedSerialExecutor {
        unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self)
    }

    // MARK: Dispatch's main queue

    /// The fd that turns readable when Dispatch's main queue has work (-1: no such entry point).
    static var mainQueueFD: Int32 { runviz_dispatch_main_queue_fd() }

    /// Runs the main queue's queued work on the calling thread, which must be the main thread and
    /// must not be running main-queue work already.
    static func drainMainQueue() { _ = runviz_dispatch_main_queue_drain() }
}
