// Ordinary Swift concurrency work — plain `withTaskGroup`, `Task.yield`, actors and continuations,
// no runviz API inside the workloads — timed on Swift's default executor and with runviz installed
// as the global executor (`Runtime.installAsGlobalExecutor`), one mode per process, since an install
// takes over a process for good. Scripts/bench-global-executor.sh runs the modes in interleaved
// rounds and summarises. Modes (the first argument):
//   default        Swift's default executor, nothing installed while timed
//   runviz         runviz installed, events on (the default configuration); a thread drains the
//                  event rings every 2 ms, as a watching observer would, so nothing is dropped
//   runviz-quiet   runviz installed with `instrumentation: false`
// Workloads:
//   fanout     units / children task groups, one after another, of `children` children (100); each
//              child does a few multiplications, `await Task.yield()`, and returns its number; the
//              parent sums them (a unit: a child). On Swift 6.3 `Task.yield()` enqueues its
//              continuation job on `Task.currentExecutor` (here `Task.defaultExecutor`), never
//              through the global hook: on Swift's default executor the counting hook misses that
//              job (one per child: its count is one short per unit); with runviz installed, the job
//              runs on Dispatch's threads and only the task's resumption comes back to runviz,
//              unless runviz is also Swift's default executor.
//   fanout-leaf  the same groups, children that do not suspend (the work, then return)
//   pingpong   two tasks pass a number back and forth through an actor that holds each side's
//              waiting continuation (a unit: a message)
// Jobs per unit: on runviz, the workers' `runs` counters over the timed run; on the default
// executor, a second, untimed run of the same size under a `swift_task_enqueueGlobal_hook` that
// counts each job and passes it on (the timed run has no hook, so it pays nothing for counting).
// Each workload runs once untimed (a tenth of its size) to warm up, then once timed. `--one-run`
// (for instruction counts): no warm-up, and each workload runs once, its jobs counted in that very
// run (on the default executor the counting hook is on while it runs). One line per workload:
// `RESULT mode=… workload=… units=… seconds=… units_per_s=… jobs=… jobs_per_unit=…
// cpu_ns_per_unit=… dropped=… check=…` (cpu: the whole process's CPU time over the timed run;
// dropped: events the rings had no room for; check: the workload's result, the same in every mode).
//
//   GlobalExecutorBench default|runviz|runviz-quiet [--workload fanout|fanout-leaf|pingpong|all]
//                       [--units N] [--children C] [--one-run]

import CRunvizLinux
import Glibc
import RunvizLock
import RunvizRuntime
import RunvizSystem
import Synchronization

// MARK: the workloads (plain Swift concurrency)

/// One task group of `children` children, each a little arithmetic and (`hop`) one yield; their sum.
func fanOut(children: Int, hop: Bool) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        for child in 0..<children {
            group.addTask {
                var value = child
                for _ in 0..<8 { value = value &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
                if hop { await Task.yield() }
                return value
            }
        }
        var sum = 0
        for await value in group { sum &+= value }
        return sum
    }
}

/// Where the two sides of a ping-pong meet: each side's ball waiting for it, or the side waiting
/// for its ball. A send and a receive are each one turn of the actor, so no ball is lost.
actor Court {
    private var balls: [Int?] = [nil, nil]
    private var waiting: [CheckedContinuation<Int, Never>?] = [nil, nil]

    func send(_ value: Int, to side: Int) {
        if let receiver = waiting[side] {
            waiting[side] = nil
            receiver.resume(returning: value)
        } else {
            balls[side] = value
        }
    }

    func receive(_ side: Int) async -> Int {
        if let ball = balls[side] {
            balls[side] = nil
            return ball
        }
        return await withCheckedContinuation { waiting[side] = $0 }
    }
}

/// Two tasks pass a number back and forth through a Court, `messages` messages in all; the last
/// number (`messages`, as each message adds one).
func pingPong(messages: Int) async -> Int {
    let court = Court()
    let rounds = messages / 2
    let server = Task.detached {
        for _ in 0..<rounds {
            let ball = await court.receive(1)
            await court.send(ball + 1, to: 0)
        }
    }
    var ball = 0
    for _ in 0..<rounds {
        await court.send(ball + 1, to: 1)
        ball = await court.receive(0)
    }
    await server.value
    return ball
}

enum Workload: String, CaseIterable {
    case fanout
    case fanoutLeaf = "fanout-leaf"
    case pingpong
}

// MARK: measuring

enum Mode: String {
    case `default`
    case runviz
    case runvizQuiet = "runviz-quiet"
}

struct Options {
    var mode: Mode
    var workloads: [Workload] = Workload.allCases
    var units = 200_000
    var children = 100
    var oneRun = false

    var groups: Int { max(1, units / children) }

    func units(_ workload: Workload) -> Int {
        switch workload {
        case .fanout, .fanoutLeaf: groups * children
        case .pingpong: max(2, units) / 2 * 2
        }
    }

    /// Runs `workload` at `fraction` of its size; its result, for a check.
    func run(_ workload: Workload, fraction: Int = 1) async -> Int {
        switch workload {
        case .fanout, .fanoutLeaf:
            var sum = 0
            for _ in 0..<max(1, groups / fraction) {
                sum &+= await fanOut(children: children, hop: workload == .fanout)
            }
            return sum
        case .pingpong: return await pingPong(messages: max(2, units / fraction))
        }
    }
}

func usage() -> Never {
    print(
        "usage: GlobalExecutorBench default|runviz|runviz-quiet [--workload fanout|fanout-leaf|pingpong|all]"
            + " [--units N] [--children C] [--one-run]")
    exit(64)
}

func parse(_ arguments: [String]) -> Options {
    guard let first = arguments.first, let mode = Mode(rawValue: first) else { usage() }
    var options = Options(mode: mode)
    var rest = arguments.dropFirst()
    func positive() -> Int {
        guard let text = rest.popFirst(), let value = Int(text), value > 0 else { usage() }
        return value
    }
    while let flag = rest.popFirst() {
        switch flag {
        case "--workload":
            guard let name = rest.popFirst() else { usage() }
            if name == "all" {
                options.workloads = Workload.allCases
            } else if let workload = Workload(rawValue: name) {
                options.workloads = [workload]
            } else {
                usage()
            }
        case "--units": options.units = positive()
        case "--children": options.children = positive()
        case "--one-run": options.oneRun = true
        default: usage()
        }
    }
    return options
}

/// Runs `body` from this synchronous thread as a detached task and waits for its value (at most
/// 120 s: a hang is a failure, exit 2).
func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let parker = Parker()
    let box = Lock<T?>(nil)
    Task.detached {
        let value = await body()
        box.withLock { $0 = value }
        parker.unpark()
    }
    let deadline = Runtime.now + 120_000_000_000
    while box.withLock({ $0 == nil }) {
        if Runtime.now > deadline {
            print("GlobalExecutorBench: timed out")
            exit(2)
        }
        parker.park(timeoutNanos: 100_000_000)
    }
    return box.withLock { $0! }
}

func processCPUNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

struct Timing {
    let nanos: UInt64
    let cpuNanos: UInt64
    let result: Int
}

func timed(_ options: Options, _ workload: Workload) -> Timing {
    let cpuBefore = processCPUNanos()
    let (nanos, result) = wait {
        let start = Runtime.now
        let result = await options.run(workload)
        return (Runtime.now - start, result)
    }
    return Timing(nanos: nanos, cpuNanos: processCPUNanos() - cpuBefore, result: result)
}

func report(_ options: Options, _ workload: Workload, _ timing: Timing, jobs: UInt64, dropped: UInt64) {
    let units = options.units(workload)
    let seconds = Double(timing.nanos) / 1e9
    let fields: [(String, String)] = [
        ("mode", options.mode.rawValue), ("workload", workload.rawValue), ("units", "\(units)"),
        ("seconds", format(seconds, 4)), ("units_per_s", format(Double(units) / seconds, 0)),
        ("jobs", "\(jobs)"), ("jobs_per_unit", format(Double(jobs) / Double(units), 3)),
        ("cpu_ns_per_unit", format(Double(timing.cpuNanos) / Double(units), 1)), ("dropped", "\(dropped)"),
        ("check", "\(timing.result)"),
    ]
    print("RESULT " + fields.map { "\($0)=\($1)" }.joined(separator: " "))
}

func format(_ value: Double, _ decimals: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, 64, "%.\(decimals)f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The counting hook's count of jobs given to Swift's default executor.
let defaultJobs = Atomic<UInt64>(0)

func onDefaultExecutor(_ options: Options) {
    for workload in options.workloads {
        if options.oneRun {
            installCountingHook()
            let before = defaultJobs.load(ordering: .relaxed)
            let timing = timed(options, workload)
            report(options, workload, timing, jobs: defaultJobs.load(ordering: .relaxed) - before, dropped: 0)
            continue
        }
        _ = wait { await options.run(workload, fraction: 10) }
        let timing = timed(options, workload)
        // Jobs, counted in a second run: the first hook call installs the counter for good.
        installCountingHook()
        let before = defaultJobs.load(ordering: .relaxed)
        _ = wait { await options.run(workload) }
        report(options, workload, timing, jobs: defaultJobs.load(ordering: .relaxed) - before, dropped: 0)
    }
}

func installCountingHook() {
    typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    let counting: @convention(thin) (UnownedJob, Enqueue) -> Void = { job, original in
        defaultJobs.add(1, ordering: .relaxed)
        original(job)
    }
    let result = runviz_swift_install_enqueue_global_hook(unsafeBitCast(counting, to: UnsafeRawPointer.self))
    guard result == 0 || result == EBUSY else {
        print("GlobalExecutorBench: no swift_task_enqueueGlobal_hook (\(result))")
        exit(1)
    }
}

func onRunviz(_ options: Options, instrumentation: Bool) {
    let runtime: Runtime
    do { runtime = try Runtime.installAsGlobalExecutor(RuntimeConfiguration(instrumentation: instrumentation)) } catch {
        print("GlobalExecutorBench: install failed: \(error)")
        exit(1)
    }
    let drainer = Parker()
    if instrumentation { startDrainer(runtime, then: drainer) }
    func runs() -> UInt64 { runtime.telemetry.workers.reduce(0) { $0 + $1.runs } }
    for workload in options.workloads {
        if !options.oneRun { _ = wait { await options.run(workload, fraction: 10) } }
        // A worker counts a job once it has returned, after the job woke this thread: let it return.
        usleep(20_000)
        let before = runs()
        let dropped = runtime.telemetry.dropped
        let timing = timed(options, workload)
        usleep(20_000)
        report(options, workload, timing, jobs: runs() - before, dropped: runtime.telemetry.dropped - dropped)
    }
    draining.store(false, ordering: .relaxed)
    if instrumentation { drainer.park(timeoutNanos: 1_000_000_000) }
    runtime.shutdown()
}

/// Whether the drainer thread keeps emptying the event rings.
let draining = Atomic<Bool>(false)

/// A thread that empties the event rings every 2 ms while `draining` holds, then unparks `done`.
func startDrainer(_ runtime: Runtime, then done: Parker) {
    draining.store(true, ordering: .relaxed)
    try? OSThread.startDetached(name: "bench-drainer") {
        while draining.load(ordering: .relaxed) {
            for ring in runtime.telemetry.rings { ring.drain { _ in } }
            usleep(2_000)
        }
        done.unpark()
    }
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
switch options.mode {
case .default: onDefaultExecutor(options)
case .runviz: onRunviz(options, instrumentation: true)
case .runvizQuiet: onRunviz(options, instrumentation: false)
}
