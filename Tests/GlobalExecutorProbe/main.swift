// A program that installs runviz as its global executor (`Runtime.installAsGlobalExecutor`) and
// prints, one `name: value` line each, where ordinary Swift concurrency code ran and how many jobs
// it took. Installing takes over a whole process for good, so RunvizRuntimeTests'
// GlobalExecutorTests run this as a subprocess and assert on its lines. Modes (the argument):
//   installed    runviz installed; each kind of global job, sleeps, the main actor, shutdown
//   default      Swift's default executor, with a hook that counts jobs and passes them on
//   main-actor   no install: `blockOn` on the main thread with a hop to @MainActor
//   async-main   installed from the main task of an `async main` (here: a main-actor task with the
//                main thread handed to Dispatch, which is what an `async main` is on Linux)
//   lifecycle    installed, events on: a named task with an `async let` child and two task-group
//                children, a plain `Task {}`, a task `spawn` started, and a generic method's detached
//                task and group children, read back from the runtime's events (each task's first sighting, its
//                name — its `Task(name:)`, else its code's, else its kind's —, its parent, its end)
//   waits        installed, events on, the main thread handed to Dispatch: named tasks suspended
//                on a continuation resumed by a named thread (one of them spawned, twice), on another task, on a task group,
//                behind a busy actor and on the main actor, each task's parks and wakes read back
//                from the runtime's events
//   sightings N  installed, events on, symbols indexed: N `Task {}`s and N group children, one closure
//                each (what a task's name costs once its code has been seen, under callgrind)
// A scenario that does not finish within 10 s prints `timeout` and the process exits 2.

import CRunvizLinux
import Dispatch
import Glibc
import RunvizLock
import RunvizRuntime
import RunvizSystem
import RunvizTelemetry
import Synchronization

/// The name of the thread running this code ("runviz-w0" for a runviz worker).
func threadName() -> String {
    guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = fread(&buffer, 1, 64, file)
    return String(decoding: buffer[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
}

func fact(_ name: String, _ value: Any) { print("\(name): \(value)") }

/// Runs `body` from a synchronous context and waits for its value, at most 10 s.
func wait<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async -> T) -> T {
    let parker = Parker()
    let box = Lock<T?>(nil)
    Task.detached {
        let value = await body()
        box.withLock { $0 = value }
        parker.unpark()
    }
    let deadline = Runtime.now + 10_000_000_000
    while box.withLock({ $0 == nil }) {
        if Runtime.now > deadline {
            fact(name, "timeout")
            exit(2)
        }
        parker.park(timeoutNanos: 100_000_000)
    }
    return box.withLock { $0! }
}

actor Recorder {
    var calls = 0
    func call() -> String {
        calls += 1
        return threadName()
    }
}

@MainActor func onMainThread() -> Bool { runviz_gettid() == getpid() }

func fib(_ n: Int) async -> Int {
    if n < 2 { return n }
    async let a = fib(n - 1)
    async let b = fib(n - 2)
    return await a + b
}

/// fib(15) with two `async let`s per call of n ≥ 2: 986 such calls.
let fibCalls = 986

/// Workers that have started their long job, in the shutdown scenario.
let workersStuck = Atomic<Int>(0)

// MARK: the modes

func installed() {
    let runtime: Runtime
    do { runtime = try Runtime.installAsGlobalExecutor() } catch {
        fact("install", error)
        exit(1)
    }
    fact("install", "ok")
    do {
        _ = try Runtime.installAsGlobalExecutor()
        fact("second install", "ok")
    } catch { fact("second install", error == .globalExecutorTaken ? "taken" : "\(error)") }

    func runs() -> UInt64 { runtime.telemetry.workers.reduce(0) { $0 + $1.runs } }
    func scenario(_ name: String, _ body: @escaping @Sendable () async -> String) {
        let before = runs()
        let thread = wait(name, body)
        // A worker counts a job once it has returned, after the job woke this thread: let it return.
        usleep(50_000)
        fact(name, "\(thread) jobs=\(runs() - before)")
    }

    scenario("Task") { await Task { threadName() }.value }
    scenario("Task.detached") { await Task.detached { threadName() }.value }
    scenario("async let") {
        async let child = threadName()
        return await child
    }
    scenario("task group") {
        await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { threadName() } }
            var names = Set<String>()
            for await name in group { names.insert(name) }
            return names.sorted().joined(separator: ",")
        }
    }
    let recorder = Recorder()
    scenario("actor") { await recorder.call() }
    scenario("foreign continuation") {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            try? OSThread.startDetached(name: "foreign") { continuation.resume() }
        }
        return threadName()
    }
    let before = runs()
    let value = wait("fib") { await fib(15) }
    usleep(50_000)
    fact("fib jobs", "\(runs() - before) value=\(value) calls=\(fibCalls)")

    // Sleeps: on runviz's heap (its timers-fired count), for at least their duration.
    func timers() -> UInt64 { runtime.telemetry.metrics.timersFired }
    for (name, sleep) in [
        ("Task.sleep(for)", { @Sendable in try await Task.sleep(for: .milliseconds(30)) }),
        ("Task.sleep(nanoseconds)", { @Sendable in try await Task.sleep(nanoseconds: 30_000_000) }),
        ("ContinuousClock.sleep", { @Sendable in try await ContinuousClock().sleep(for: .milliseconds(30)) }),
        ("SuspendingClock.sleep", { @Sendable in try await SuspendingClock().sleep(for: .milliseconds(30)) }),
    ] as [(String, @Sendable () async throws -> Void)] {
        let fired = timers()
        let slept = wait(name) { () -> UInt64 in
            let start = Runtime.now
            try? await Task { try await sleep() }.value
            return (Runtime.now - start) / 1_000_000
        }
        fact(name, "timers=\(timers() - fired) at least 30 ms: \(slept >= 30)")
    }
    let cancelled = wait("cancelled sleep") { () -> String in
        let start = Runtime.now
        let sleeper = Task { try await Task.sleep(for: .seconds(10)) }
        try? await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        let outcome = await sleeper.result
        let threw = (try? outcome.get()) == nil
        return "threw \(threw) within 1 s: \(Runtime.now - start < 1_000_000_000)"
    }
    fact("cancelled sleep", cancelled)
    let preferring = wait("globalConcurrentExecutor preference") {
        await Task(executorPreference: globalConcurrentExecutor) { () -> String in
            await Task.yield()
            return threadName()
        }.value
    }
    fact("globalConcurrentExecutor preference", preferring)

    do {
        let onMain = try runtime.blockOn { await onMainThread() }
        fact("blockOn main actor", onMain ? "main thread" : "other thread")
    } catch { fact("blockOn main actor", error) }

    // Both workers stuck in a long job, 8 jobs queued behind them, then shutdown: the workers stop
    // after their job, and the 8 queued jobs must still run, on Swift's default executor.
    for _ in 0..<runtime.configuration.workers {
        Task.detached {
            workersStuck.add(1, ordering: .relaxed)
            usleep(300_000)
        }
    }
    while workersStuck.load(ordering: .relaxed) < runtime.configuration.workers { usleep(1_000) }
    let queued = (0..<8).map { _ in Task.detached { threadName() } }
    let sleeping = Task.detached { () -> String in
        try? await Task.sleep(for: .milliseconds(400))
        return threadName()
    }
    usleep(20_000)
    runtime.shutdown()
    let names = wait("queued at shutdown") {
        var names: [String] = []
        for task in queued { names.append(await task.value) }
        return names
    }
    fact("queued at shutdown", "\(names.count) ran, \(names.filter { $0.hasPrefix("runviz-w") }.count) on runviz")
    let woke = wait("sleeping at shutdown") { await sleeping.value }
    fact("sleeping at shutdown", woke.hasPrefix("runviz-w") ? "woke on runviz" : "woke off runviz")

    let runsAtShutdown = runs()
    fact(
        "after shutdown",
        "\(wait("after shutdown") { await Task { threadName() }.value }) jobs=\(runs() - runsAtShutdown)")
}

/// The hook's count of jobs on Swift's default executor.
let defaultJobs = Atomic<Int>(0)

func defaultExecutor() {
    typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    let counting: @convention(thin) (UnownedJob, Enqueue) -> Void = { job, original in
        defaultJobs.add(1, ordering: .relaxed)
        original(job)
    }
    guard runviz_swift_install_enqueue_global_hook(unsafeBitCast(counting, to: UnsafeRawPointer.self)) == 0 else {
        fact("install", "failed")
        exit(1)
    }
    let before = defaultJobs.load(ordering: .relaxed)
    let value = wait("fib") { await fib(15) }
    fact("fib jobs", "\(defaultJobs.load(ordering: .relaxed) - before) value=\(value) calls=\(fibCalls)")
}

func mainActorWithoutInstall() {
    do {
        let runtime = try Runtime()
        let onMain = try runtime.blockOn { await onMainThread() }
        fact("blockOn main actor", onMain ? "main thread" : "other thread")
        runtime.shutdown()
    } catch { fact("blockOn main actor", error) }
}

func asyncMain() -> Never {
    Task { @MainActor in
        // The result is not kept: the install holds the runtime.
        weak var installed: Runtime?
        do { installed = try Runtime.installAsGlobalExecutor() } catch {
            fact("install", error)
            exit(1)
        }
        guard let runtime = installed else {
            fact("install", "the runtime was freed once its result was dropped")
            exit(1)
        }
        fact("install", "ok")
        func runs() -> UInt64 { runtime.telemetry.workers.reduce(0) { $0 + $1.runs } }
        var before = runs()
        let thread = await Task.detached { threadName() }.value
        fact("Task.detached", "\(thread) jobs=\(runs() - before)")
        before = runs()
        let value = await fib(15)
        fact("fib jobs", "\(runs() - before) value=\(value) calls=\(fibCalls)")
        // Dispatch's main queue runs it (on Linux `dispatchMain` lets the main thread go and a Dispatch
        // thread drains the main queue).
        await MainActor.run { fact("main actor hop", "ok") }
        exit(0)
    }
    dispatchMain()
}

/// Awaits a timer, so the task suspends once and ends in a later run.
@Sendable func nap() async -> Int {
    try? await Task.sleep(for: .milliseconds(2))
    return 1
}

/// Code that creates tasks from a generic, throwing method, in closures inside closures: the names
/// `lifecycle` reads back for them.
struct Inventory<Item: Sendable>: Sendable {
    let items: [Item]

    func restock(_ count: Int, from supplier: String) async throws -> Int {
        let audit = Task.detached { items.count }
        let shipped = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(2))
                    return 1
                }
            }
            return try await group.reduce(0, +)
        }
        return shipped + (await audit.value)
    }
}

/// Installs runviz (exit 1 on failure, after its `install` fact) and indexes the executable's
/// symbols before any scenario task runs, so tasks are named by their code from the first on:
/// whether the index settled within 10 s.
func installIndexed() -> (runtime: Runtime, indexed: Bool) {
    let runtime: Runtime
    do { runtime = try Runtime.installAsGlobalExecutor() } catch {
        fact("install", error)
        exit(1)
    }
    fact("install", "ok")
    Runtime.indexTaskCode()
    let deadline = Runtime.now + 10_000_000_000
    while !Runtime.taskCodeIndex.settled && Runtime.now < deadline { usleep(1_000) }
    return (runtime, Runtime.taskCodeIndex.settled)
}

func lifecycle() {
    let (runtime, indexed) = installIndexed()
    let index = Runtime.taskCodeIndex
    fact("lifecycle code index", indexed ? (index.functions > 0 ? "symbols" : "none") : "timeout")
    let total = wait("lifecycle") {
        let checkout = Task(name: "checkout") { () async -> Int in
            async let first = nap()
            let group = await withTaskGroup(of: Int.self) { group in
                group.addTask(operation: nap)
                group.addTask(operation: nap)
                return await group.reduce(0, +)
            }
            return await first + group
        }
        let plain = Task { await nap() }
        // Started by `spawn` on the installed runtime: a plain task, without the executor preference,
        // whose spawn and end `spawn` records itself: never sighted or ended a second time.
        let spawned = runtime.spawn(name: "spawned", nap)
        let restocked = (try? await Inventory(items: ["tea"]).restock(2, from: "dock")) ?? 0
        return await checkout.value + plain.value + restocked + ((try? await spawned.value) ?? 0)
    }
    fact("lifecycle value", total)
    // The helper task of `wait` ends after it hands the value over: let its last run finish.
    usleep(50_000)
    runtime.telemetry.enabled = false
    var events: [RuntimeEvent] = []
    for ring in runtime.telemetry.rings { _ = ring.drain(into: &events) }
    events.sort { $0.time < $1.time }
    struct Seen {
        var name = ""
        var parent: UInt64 = 0
        var spawned = 0
        var completed = 0
        var runsAfterEnd = 0
        var ended = false
    }
    var tasks: [UInt64: Seen] = [:]
    for event in events {
        switch event.fact {
        case .spawned(let task, let parent, let name, _):
            tasks[task.raw, default: Seen()].spawned += 1
            tasks[task.raw]!.name = runtime.telemetry.names.name(name)
            tasks[task.raw]!.parent = parent.raw
        case .completed(let task, _):
            tasks[task.raw, default: Seen()].completed += 1
            tasks[task.raw]!.ended = true
        case .runStarted(let task, _):
            if tasks[task.raw]?.ended == true { tasks[task.raw]!.runsAfterEnd += 1 }
        default: break
        }
    }
    func name(_ id: UInt64) -> String { id == 0 ? "none" : tasks[id]?.name ?? "unseen t\(id)" }
    var lines: [String: [String]] = [:]
    for seen in tasks.values where seen.spawned > 0 {
        lines[seen.name, default: []].append(
            "parent=\(name(seen.parent)) spawned=\(seen.spawned) completed=\(seen.completed) "
                + "runsAfterEnd=\(seen.runsAfterEnd)")
    }
    for (kind, seen) in lines.sorted(by: { $0.key < $1.key }) {
        fact("lifecycle \(kind)", seen.sorted().joined(separator: " | "))
    }
    fact("lifecycle ended unseen", tasks.values.filter { $0.spawned == 0 && $0.completed > 0 }.count)
    let metrics = runtime.telemetry.metrics
    fact(
        "lifecycle counted",
        "spawned \(metrics.tasksSpawned) of \(tasks.values.map(\.spawned).reduce(0, +)), "
            + "finished \(metrics.tasksFinished) of \(tasks.values.map(\.completed).reduce(0, +))")
    fact("lifecycle dropped", runtime.telemetry.dropped)
}

/// Installed, events on, symbols indexed: `count` `Task {}`s of one closure and `count` group
/// children of another, each sighted once (the cost of a name whose code was seen before is read
/// from this under callgrind).
func sightings(_ count: Int) {
    let runtime: Runtime
    do { runtime = try Runtime.installAsGlobalExecutor() } catch {
        fact("install", error)
        exit(1)
    }
    Runtime.indexTaskCode()
    while !Runtime.taskCodeIndex.settled { usleep(1_000) }
    let index = Runtime.taskCodeIndex
    fact("sightings code index", "\(index.functions) functions in \(index.nanos / 1_000) µs")
    let total = wait("sightings") {
        var sum = 0
        for _ in 0..<count { sum += await Task { 1 }.value }
        return await withTaskGroup(of: Int.self) { group in
            for _ in 0..<count { group.addTask { 1 } }
            return await group.reduce(sum, +)
        }
    }
    fact("sightings tasks", total)
    fact("sightings dropped", runtime.telemetry.dropped)
}

actor Counter {
    var count = 0
    func hold() {
        usleep(150_000)
        count += 1
    }
    func touch() -> Int {
        count += 1
        return count
    }
}

/// Resumes `continuation` from a thread of no task named "probe-resumer", after 20 ms.
func resumeFromThread(_ continuation: CheckedContinuation<Int, Never>) {
    try? OSThread.startDetached(name: "probe-resumer") {
        usleep(20_000)
        continuation.resume(returning: 1)
    }
}

/// The actors whose jobs the workers were seen running (ActorJob), sampled every millisecond for
/// 400 ms on a thread of its own.
final class ActorJobSampler: Sendable {
    let runtime: Runtime
    let seen = Lock<Set<String>>([])
    init(_ runtime: Runtime) { self.runtime = runtime }
}

func sampleActorJobs(_ runtime: Runtime) -> ActorJobSampler {
    let sampler = ActorJobSampler(runtime)
    try? OSThread.startDetached(name: nil) {
        for _ in 0..<400 {
            for worker in sampler.runtime.telemetry.workers {
                guard let id = ActorJob.nameID(in: worker.currentTask) else { continue }
                let name = sampler.runtime.telemetry.names.name(id)
                sampler.seen.withLock { _ = $0.insert(name) }
            }
            usleep(1_000)
        }
    }
    return sampler
}

func waits() {
    // A group child is named by its code here.
    let (runtime, _) = installIndexed()
    let counter = Counter()
    Task.detached {
        let resumed = Task(name: "resumed") { await withCheckedContinuation(resumeFromThread) }
        // A task `spawn` started records its own parks: the runtime's continuation under its second
        // wait is not read (its first run is known by its spawn, later ones by its records).
        let spawned = runtime.spawn(name: "spawned waiter") { () async -> Int in
            let first = await withCheckedContinuation(resumeFromThread)
            return await first + withCheckedContinuation(resumeFromThread)
        }
        // One with two `async let` children open, the first to end well before the second: the
        // records of both children and of its dependency lie above its WaitSlot's as it resumes.
        let joiner = runtime.spawn(name: "spawned joiner") { () async -> Int in
            async let first = nap()
            async let second = { () async -> Int in
                try? await Task.sleep(for: .milliseconds(50))
                return 1
            }()
            return await first + second
        }
        let awaited = Task(name: "awaited") { await nap() }
        let awaiter = Task(name: "awaiter") { await awaited.value }
        let grouper = Task(name: "grouper") {
            await withTaskGroup(of: Int.self) { group in
                group.addTask(operation: nap)
                return await group.next() ?? 0
            }
        }
        let holder = Task(name: "holder") { await counter.hold() }
        try? await Task.sleep(for: .milliseconds(30))
        let queued = Task(name: "queued") { await counter.touch() }
        // Queued behind `holder` too: it holds a worker inside the actor's own job.
        let holder2 = Task(name: "second holder") { await counter.hold() }
        let seen = sampleActorJobs(runtime)
        // The main thread busy for 100 ms: the hop below waits queued on the main actor meanwhile.
        DispatchQueue.main.async { usleep(100_000) }
        let toMain = Task(name: "to main") { () async -> Int in
            await MainActor.run { onMainThread() ? 1 : 0 }
        }
        let total =
            await resumed.value + awaiter.value + grouper.value + queued.value + toMain.value
            + ((try? await spawned.value) ?? 0) + ((try? await joiner.value) ?? 0)
        await holder.value
        await holder2.value
        fact("waits value", total)
        fact("waits actor job", seen.seen.withLock { $0.sorted().joined(separator: ", ") })
        usleep(50_000)
        runtime.telemetry.enabled = false
        var events: [RuntimeEvent] = []
        for ring in runtime.telemetry.rings { _ = ring.drain(into: &events) }
        events.sort { $0.time < $1.time }
        let names = runtime.telemetry.names.all()
        // Names first: a task may park on one whose first run comes later.
        var named: [UInt64: String] = [:]
        for event in events {
            if case .spawned(let task, _, let name, _) = event.fact {
                named[task.raw] = runtime.telemetry.names.name(name)
            }
        }
        var lines: [UInt64: [String]] = [:]
        for event in events {
            switch event.fact {
            case .parked(let task, let reason, _, _):
                if case .join(let target) = reason, let name = named[target.raw] {
                    lines[task.raw, default: []].append("parked join \(name)")
                } else {
                    lines[task.raw, default: []].append("parked \(reason.description(names: names))")
                }
            case .scheduled(let task, .other, let argument, _, _):
                if let thread = ForeignThread.nameID(in: argument) {
                    lines[task.raw, default: []].append("woken by thread \(names[Int(thread)])")
                }
            case .completed(let task, _): lines[task.raw, default: []].append("completed")
            default: break
            }
        }
        for (task, name) in named.sorted(by: { $0.value < $1.value }) where name != "Task {}" {
            fact("waits \(name)", lines[task, default: []].joined(separator: ", "))
        }
        exit(0)
    }
    dispatchMain()
}

/// Ends a hung run (a deadlock here is what some tests look for) after 30 s.
func startWatchdog() {
    try? OSThread.startDetached(name: nil) {
        sleep(30)
        print("watchdog: hung")
        exit(3)
    }
}

startWatchdog()

switch CommandLine.arguments.dropFirst().first {
case "installed": installed()
case "default": defaultExecutor()
case "main-actor": mainActorWithoutInstall()
case "async-main": asyncMain()
case "lifecycle": lifecycle()
case "waits": waits()
case "sightings": sightings(Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 10_000)
default:
    print("usage: GlobalExecutorProbe installed|default|main-actor|async-main|lifecycle|waits|sightings [N]")
    exit(64)
}
