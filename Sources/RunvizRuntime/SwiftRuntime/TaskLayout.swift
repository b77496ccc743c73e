// What runviz reads of a Swift task it did not start (a `Task {}`, a child, a group child that
// reached it through the global-executor hook): whether this is its first run, its parent, its
// `Task(name:)` name, the code it was created to run, and whether its last run completed it. The public and SPI API give none of
// these for a given job (`swift_task_getCurrentTaskName` names only the task running on the
// calling thread; `swift_task_getJobFlags` gives the child/group/async-let bits), so this file
// reads the runtime's private task layout, the one place in RunvizRuntime that does. After a run
// that did not end the task, it also reads what the task now waits on: the runtime's own record of
// it (a TaskDependencyStatusRecord: a continuation, an awaited task, a task group, or the executor —
// an actor, the main actor — the task is queued on).
//
// Invariants:
// - The layout is read only when the running runtime says it is the one measured here: Swift
//   6.3's toolchain, `_swift_concurrency_debug_internal_layout_version` == 1 and
//   `_swift_concurrency_debug_asyncTaskSize` == 208 (the variables swift-inspect reads for the
//   same purpose, exported by libswift_Concurrency), 64-bit pointers. Any other runtime gets
//   `TaskLayout.measured == nil`, the named fallback: hooked tasks are recorded as before, by
//   their runs only, with no first sighting and no end.
// - A task's code: until its first run its resume context is the initial context, and just below it
//   the runtime's context prefix (Task.cpp, `swift_task_create_commonImpl`): `FutureAsyncContextPrefix
//   { indirectResult; asyncEntryPoint; closureContext; errorResult }` for a task with a result,
//   `AsyncContextPrefix { asyncEntryPoint; closureContext; errorResult }` for one without; both end at
//   the context, so the entry point (the closure's function, resolved from its async function
//   pointer) is the word 24 bytes below it, its closure context the word 16 below it.
// - Most entry points are a reabstraction thunk the standard library's `Task.init` and `addTask`
//   wrap the closure in (a partial apply of it, probed: `partial apply forwarder for reabstraction
//   thunk helper <A where A: Swift.Sendable> from @escaping @isolated(any) … to …`). The closure it
//   forwards to is captured in the thunk's context, a heap object: after the object header, the
//   generic arguments the thunk is bound to, then the closure as an async function pointer (a
//   32-bit offset to the function, Task.h `AsyncFunctionPointer`) and its context. The number of
//   generic arguments varies, so `capturedCode` offers each of the first words that points into
//   the executable and lets the caller accept only the start of a known function.
// - Offsets (x86_64, Swift 6.3.1; stdlib/public/Concurrency/TaskPrivate.h and
//   include/swift/ABI/Task.h, each confirmed by a probe that dumped a task's words before and after
//   its runs): Job's resume function at 56, its resume context at 64; PrivateStorage from 80:
//   ExclusivityAccessSet (2 words), then ActiveTaskStatus at 96 — Flags (u32; IsCancelled 0x100,
//   IsStatusRecordLocked 0x200, IsRunning 0x800, IsComplete 0x2000, HasTaskDependency 0x4000),
//   innermost status record at 104; a child task's ChildFragment (its parent first) at 208, right
//   after the task header.
// - The dependency record (include/swift/ABI/TaskStatus.h) is the innermost record whenever
//   HasTaskDependency is set: Flags (kind TaskDependency = 0 in its low byte), Parent, the union of
//   what it waits on at 16 (an AsyncTask*, a continuation context, a TaskGroup*, or a
//   SerialExecutorRef: identity at 16, implementation at 24, both 0 for the global executor),
//   DependencyKind (u32) at 32: WaitingOnTask 1, WaitingOnContinuation 2, WaitingOnTaskGroup 3,
//   EnqueuedOnExecutor 4. Confirmed by a probe printing these words for each kind of wait.
// - The dependency is read after the run, when whoever resumes the task races the read: like a
//   seqlock, the status word and innermost record are read before and after the record's fields
//   (acquire loads throughout) and the reading is discarded when they changed, when the record is
//   locked or the task is running, or when a kind is not one of the four. What the record points
//   at (the awaited task's id, an actor's class) is read before the closing check, so a reading
//   that survives it saw the task still waiting and so its target still held by it.
// - A task is read only while it cannot be freed: before its run (the worker holds its job), and
//   after it only through a reference taken before (`retain`/`release` around the run).
// - A task `Runtime.spawn` started is known by its status records: for its whole life it holds
//   the cancellation record of its WaitSlot (TaskStatus.h `CancellationNotificationStatusRecord`,
//   kind 3: Flags, Parent, then the handler's function at 16), whose function is the same for
//   every such task (learnt from the first one's record). Read before a run, like the name: at most
//   the `recordDepth` innermost records (above it lie a resumed task's dependency record until
//   it runs, and one record per `async let` child or task group the task has open). Records locked
//   by a canceller read as not known: the task is then watched, which records it right.
// - The same record gives the running task its WaitSlot at each fd wait, in place of a task-local
//   read (~170 instructions): the handler's context, at 24, is the slot itself (a closure that
//   captures one object has it as its context; checked on the first record, and the task-local
//   is read instead when it is not). The running task reads its own records, which only it adds
//   and removes; locked by a canceller, or deeper than `recordDepth`, they read as not known.

import CRunvizLinux
import Glibc
import Synchronization

struct TaskLayout: @unchecked Sendable {
    /// The runtime's entry adapters a task's resume function points at until its first run
    /// (Task.cpp, `future_adapter` / `non_future_adapter`, exported for debuggers).
    let futureAdapter: UInt
    let nonFutureAdapter: UInt
    /// The main actor's executor identity (`MainActor.sharedUnownedExecutor`'s first word): a task
    /// queued on it waits for the main actor.
    let mainExecutor: UInt

    private static let resumeFunctionOffset = 56
    private static let resumeContextOffset = 64
    private static let entryPointBelowContext = 24
    private static let closureContextBelowContext = 16
    private static let statusFlagsOffset = 96
    private static let innermostRecordOffset = 104
    private static let childParentOffset = 208

    private static let statusCancelled: UInt32 = 0x100
    private static let statusRecordLocked: UInt32 = 0x200
    private static let statusRunning: UInt32 = 0x800
    private static let statusComplete: UInt32 = 0x2000
    private static let statusHasDependency: UInt32 = 0x4000
    private static let dependencyRecordKind: UInt = 0
    private static let dependencyTargetOffset = 16
    private static let dependencyKindOffset = 32

    /// TaskStatusRecordKind::TaskName (include/swift/ABI/MetadataValues.h); the record's name
    /// pointer follows its Flags and Parent words.
    private static let taskNameRecordKind: UInt = 6
    /// TaskStatusRecordKind::CancellationNotification; the handler's function follows Flags and Parent.
    private static let cancellationRecordKind: UInt = 3
    private static let recordFunctionOffset = 16
    private static let recordContextOffset = 24
    /// The function of the WaitSlot's cancellation handler, which every spawned task holds (0: no
    /// spawned task seen yet).
    private static let spawnHandler = Atomic<UInt>(0)
    /// That handler's context is the WaitSlot (learnt with the function).
    private static let slotIsContext = Atomic<Bool>(false)

    /// The layout of this process's runtime, or nil when it is not the measured one.
    static let measured: TaskLayout? = {
        #if compiler(>=6.3) && !compiler(>=6.4) && arch(x86_64)
            guard SwiftRuntime.path == .entryPoints, let process = dlopen(nil, RTLD_NOW) else { return nil }
            func variable<T>(_ name: String, _ type: T.Type) -> T? {
                dlsym(process, name).map { $0.load(as: T.self) }
            }
            guard variable("_swift_concurrency_debug_internal_layout_version", UInt32.self) == 1,
                variable("_swift_concurrency_debug_asyncTaskSize", Int.self) == childParentOffset,
                let future = variable("_swift_concurrency_debug_future_adapter", UInt.self),
                let nonFuture = variable("_swift_concurrency_debug_non_future_adapter", UInt.self)
            else { return nil }
            let main = unsafeBitCast(MainActor.sharedUnownedExecutor, to: (UInt, UInt).self).0
            return TaskLayout(futureAdapter: future, nonFutureAdapter: nonFuture, mainExecutor: main)
        #else
            return nil
        #endif
    }()

    /// What a task is, from its JobFlags.
    enum Kind: UInt8 {
        case task
        case child
        case groupChild
        case asyncLetChild
    }

    /// nil: `job` is no task (an actor's job, a continuation job).
    @inline(__always)
    static func kind(flags: UInt32) -> Kind? {
        guard flags & 0xFF == 0 else { return nil }
        if flags & (1 << 26) != 0 { return .groupChild }
        if flags & (1 << 28) != 0 { return .asyncLetChild }
        if flags & (1 << 24) != 0 { return .child }
        return .task
    }

    @inline(__always)
    private static func address(_ job: UnownedJob) -> UnsafeRawPointer {
        unsafeBitCast(job, to: UnsafeRawPointer.self)
    }

    /// Whether `task` has not run yet: its resume function is still the runtime's entry adapter.
    @inline(__always)
    func isFirstRun(_ task: UnownedJob) -> Bool {
        let resume = Self.address(task).load(fromByteOffset: Self.resumeFunctionOffset, as: UInt.self)
        return resume == futureAdapter || resume == nonFutureAdapter
    }

    /// The code the task was created to run: the address of its entry point (a closure, or the
    /// thunk that forwards to it). Read only before the first run (`isFirstRun`), while the resume
    /// context is still the initial context with the runtime's prefix below it.
    @inline(__always)
    func entryPoint(of task: UnownedJob) -> UInt {
        guard
            let context = Self.address(task).load(fromByteOffset: Self.resumeContextOffset, as: UnsafeRawPointer?.self)
        else { return 0 }
        return context.load(fromByteOffset: -Self.entryPointBelowContext, as: UInt.self)
    }

    /// The closure context of the task's entry point (nil: none), read as `entryPoint` is.
    @inline(__always)
    func closureContext(of task: UnownedJob) -> UnsafeRawPointer? {
        guard
            let context = Self.address(task).load(fromByteOffset: Self.resumeContextOffset, as: UnsafeRawPointer?.self)
        else { return nil }
        return context.load(fromByteOffset: -Self.closureContextBelowContext, as: UnsafeRawPointer?.self)
    }

    /// Where the closure a forwarding thunk captured may be, in the thunk's closure context `box`:
    /// the words from `capturedWords`, each a candidate async function pointer followed by that
    /// function's context. Probed layouts (x86_64, 6.3.1): `Task {}`'s thunk `[header, header, A,
    /// function, context]`; an `async let`'s `[0, 0, function, context]` (its context is no heap
    /// object); a thunk around a function passed by name captures another thunk, `[header, header,
    /// isolation, isolation, function, context]`.
    static let capturedWords = 2..<6

    @inline(__always)
    static func word(_ index: Int, of box: UnsafeRawPointer) -> UInt {
        box.load(fromByteOffset: index * 8, as: UInt.self)
    }

    /// The function an async function pointer points at: Task.h `AsyncFunctionPointer`, a 32-bit
    /// offset to the function from the pointer itself. Only for a pointer known to be readable.
    @inline(__always)
    static func function(ofAsyncFunctionPointer pointer: UInt) -> UInt {
        let offset = UnsafeRawPointer(bitPattern: pointer)!.load(as: Int32.self)
        return UInt(bitPattern: Int(bitPattern: pointer) &+ Int(offset))
    }

    /// The id of a child task's parent (0 for a task of no parent). The parent outlives its children.
    func parentID(of task: UnownedJob, kind: Kind) -> UInt64 {
        guard kind != .task else { return 0 }
        let parent = Self.address(task).load(fromByteOffset: Self.childParentOffset, as: UnsafeRawPointer?.self)
        return parent.map { SwiftRuntime.taskID(of: unsafeBitCast($0, to: UnownedJob.self)) } ?? 0
    }

    /// The task's `Task(name:)` name, read from its status records before its first run, when only
    /// a canceller on another thread could be changing them; nil when it has none or the records
    /// are locked by such a canceller (the name is then left unread).
    func name(of task: UnownedJob) -> String? {
        guard case .some(var record) = Self.innermostRecord(Self.address(task)) else { return nil }
        var steps = 0
        while let current = record, steps < Self.recordDepth {
            if current.load(as: UInt.self) & 0xFF == Self.taskNameRecordKind {
                guard let text = current.load(fromByteOffset: 16, as: UnsafePointer<CChar>?.self) else { return nil }
                return String(cString: text)
            }
            record = current.load(fromByteOffset: 8, as: UnsafeRawPointer?.self)
            steps += 1
        }
        return nil
    }

    /// Learns the WaitSlot handler's function from the cancellation record a spawned task just
    /// added for `slot`, and whether its context is the slot. A task cancelled before it ran gets
    /// no record (the runtime runs the handler at once).
    func noteSpawnHandler(_ record: UnsafeRawPointer?, slot: UnsafeRawPointer) {
        guard let record, Self.spawnHandler.load(ordering: .relaxed) == 0 else { return }
        let function = record.load(fromByteOffset: Self.recordFunctionOffset, as: UInt.self)
        let context = record.load(fromByteOffset: Self.recordContextOffset, as: UnsafeRawPointer?.self)
        Self.slotIsContext.store(context == slot, ordering: .relaxed)
        Self.spawnHandler.store(function, ordering: .relaxed)
    }

    /// What the running task's records say of its WaitSlot.
    enum SlotReading {
        /// Its WaitSlot's cancellation record, whose context is the slot.
        case slot(UnsafeRawPointer)
        /// It holds none: `Runtime.spawn` did not start it.
        case none
        /// Not read: no handler learnt yet, records locked or too deep.
        case unknown
    }

    /// The WaitSlot of `task`, the task running on this thread (see the header).
    @inline(__always)
    func waitSlot(ofRunning task: UnsafeRawPointer) -> SlotReading {
        let handler = Self.spawnHandler.load(ordering: .relaxed)
        guard handler != 0, Self.slotIsContext.load(ordering: .relaxed),
            case .some(var record) = Self.innermostRecord(task)
        else { return .unknown }
        var steps = 0
        while let current = record {
            guard steps < Self.recordDepth else { return .unknown }
            if current.load(as: UInt.self) & 0xFF == Self.cancellationRecordKind,
                current.load(fromByteOffset: Self.recordFunctionOffset, as: UInt.self) == handler,
                let slot = current.load(fromByteOffset: Self.recordContextOffset, as: UnsafeRawPointer?.self)
            {
                return .slot(slot)
            }
            record = current.load(fromByteOffset: 8, as: UnsafeRawPointer?.self)
            steps += 1
        }
        return .none
    }

    /// How many of a task's innermost status records `name(of:)` and `isSpawned` read: a task with
    /// more open children and groups above its WaitSlot's record is watched as if runviz had not
    /// started it.
    static let recordDepth = 8

    /// The task's innermost status record, or nil (`.none`) when it is not safe to follow: a
    /// canceller that locks a task's records installs a record of its own, on its stack, as the
    /// innermost while it holds the lock. So the record is loaded, then the status again: it is
    /// followed only if the records were unlocked and it was still the innermost then, which makes
    /// it one of the task's own (the flags and the record change together, in one exchange).
    @inline(__always)
    private static func innermostRecord(_ base: UnsafeRawPointer) -> UnsafeRawPointer?? {
        let record = runviz_atomic_load_acquire_ptr(base + innermostRecordOffset)
        guard runviz_atomic_load_acquire_u32(base + statusFlagsOffset) & statusRecordLocked == 0,
            runviz_atomic_load_acquire_ptr(base + innermostRecordOffset) == record
        else { return nil }
        return .some(record)
    }

    /// Whether `task` is one `Runtime.spawn` started, from its status records (see the header).
    @inline(__always)
    func isSpawned(_ task: UnownedJob) -> Bool {
        let handler = Self.spawnHandler.load(ordering: .relaxed)
        guard handler != 0, case .some(var record) = Self.innermostRecord(Self.address(task)) else { return false }
        var steps = 0
        while let current = record, steps < Self.recordDepth {
            if current.load(as: UInt.self) & 0xFF == Self.cancellationRecordKind,
                current.load(fromByteOffset: Self.recordFunctionOffset, as: UInt.self) == handler
            {
                return true
            }
            record = current.load(fromByteOffset: 8, as: UnsafeRawPointer?.self)
            steps += 1
        }
        return false
    }

    /// Whether `task`, the task running on this thread, has been cancelled: its status's
    /// IsCancelled flag, which `swift_task_isCancelled` reads (relaxed; here with acquire).
    @inline(__always)
    func isCancelled(running task: UnsafeRawPointer) -> Bool {
        runviz_atomic_load_acquire_u32(task + Self.statusFlagsOffset) & Self.statusCancelled != 0
    }

    /// Whether the task is running on some thread now (a worker, or the main thread).
    @inline(__always)
    func isRunning(_ task: UnownedJob) -> Bool {
        runviz_atomic_load_acquire_u32(Self.address(task) + Self.statusFlagsOffset) & Self.statusRunning != 0
    }

    /// Whether the task has completed: read after its run, through a reference taken before it.
    @inline(__always)
    func isComplete(_ task: UnownedJob) -> Bool {
        runviz_atomic_load_acquire_u32(Self.address(task) + Self.statusFlagsOffset) & Self.statusComplete != 0
    }

    /// What a suspended task waits on, from its dependency record.
    enum Dependency: Equatable {
        /// `withCheckedContinuation` / `withUnsafeContinuation` and all built on them.
        case continuation
        /// Another task's end (`Task.value`, an `async let`): its id.
        case task(UInt64)
        /// The next child of a task group it created.
        case taskGroup
        /// Queued on the main actor.
        case mainActor
        /// Queued on an actor (a default actor, or an executor of its own): its class's metadata.
        case actor(metadata: UnsafeRawPointer)
        /// Queued on the global executor again: woken, waiting for nothing but a worker.
        case globalExecutor
    }

    /// What `task`, not completed by its run, now waits on: nil when it has no dependency record
    /// (it is running, or completed) or the reading raced a change. Read through a reference taken
    /// while the task could not be freed.
    func dependency(of task: UnownedJob) -> Dependency? {
        let base = Self.address(task)
        let flags = runviz_atomic_load_acquire_u32(base + Self.statusFlagsOffset)
        guard
            flags & (Self.statusHasDependency | Self.statusRecordLocked | Self.statusRunning | Self.statusComplete)
                == Self.statusHasDependency,
            let record = runviz_atomic_load_acquire_ptr(base + Self.innermostRecordOffset),
            UInt(bitPattern: runviz_atomic_load_acquire_ptr(record)) & 0xFF == Self.dependencyRecordKind
        else { return nil }
        let kind = runviz_atomic_load_acquire_u32(record + Self.dependencyKindOffset)
        let target = runviz_atomic_load_acquire_ptr(record + Self.dependencyTargetOffset)
        // The same kind, record and status word: the task was still waiting on what was read. Checked
        // before `target` is followed (a record removed meanwhile may hold anything by now), and again
        // after, so what it pointed at was alive while it was read.
        func stillWaiting() -> Bool {
            runviz_atomic_load_acquire_u32(record + Self.dependencyKindOffset) == kind
                && runviz_atomic_load_acquire_ptr(record + Self.dependencyTargetOffset) == target
                && runviz_atomic_load_acquire_ptr(base + Self.innermostRecordOffset) == record
                && runviz_atomic_load_acquire_u32(base + Self.statusFlagsOffset) == flags
        }
        guard stillWaiting() else { return nil }
        let dependency: Dependency
        switch kind {
        case 1:
            guard let awaited = target else { return nil }
            dependency = .task(SwiftRuntime.taskID(of: unsafeBitCast(awaited, to: UnownedJob.self)))
        case 2: dependency = .continuation
        case 3: dependency = .taskGroup
        case 4:
            if target == nil {
                dependency = .globalExecutor
            } else if let identity = target, UInt(bitPattern: identity) == mainExecutor {
                dependency = .mainActor
            } else {
                guard let identity = target, let metadata = runviz_atomic_load_acquire_ptr(identity) else { return nil }
                dependency = .actor(metadata: metadata)
            }
        default: return nil
        }
        return stillWaiting() ? dependency : nil
    }

    /// JobKind::DefaultActorSeparate (include/swift/ABI/MetadataValues.h): the job a default actor
    /// is scheduled with, its actor right after the job header (a probe of a contended actor showed
    /// kind 193 with the actor's address at byte 64). Other actor job kinds are left unnamed.
    private static let defaultActorSeparateKind: UInt32 = 193
    private static let actorJobActorOffset = 64

    /// The class metadata of the actor a job of no task runs for, if it is a default actor's job.
    /// Read before the job runs, while the actor holds it.
    @inline(__always)
    static func actorMetadata(ofJob job: UnownedJob, flags: UInt32) -> UnsafeRawPointer? {
        guard flags & 0xFF == defaultActorSeparateKind else { return nil }
        return address(job).load(fromByteOffset: actorJobActorOffset, as: UnsafeRawPointer?.self)?
            .load(as: UnsafeRawPointer?.self)
    }

    /// An actor's class name as `_typeName` gives it ("Inventory"), from the metadata a
    /// `Dependency.actor` reading returned.
    static func typeName(metadata: UnsafeRawPointer) -> String {
        _typeName(unsafeBitCast(metadata, to: Any.Type.self), qualified: false)
    }

    /// Keeps `task` alive across its run: a completed task is released by the runtime inside it.
    @inline(__always)
    static func retain(_ task: UnownedJob) {
        _ = Unmanaged<AnyObject>.fromOpaque(address(task)).retain()
    }

    @inline(__always)
    static func release(_ task: UnownedJob) {
        Unmanaged<AnyObject>.fromOpaque(address(task)).release()
    }
}
