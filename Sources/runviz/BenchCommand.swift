// `runviz bench hops`: job hops per second on the runviz executor with instrumentation on, with it
// off, and on Swift's global executor, in one run. Two workloads: tasks that `yieldNow` in a loop
// (one task per worker), and a ping-pong between two tasks over a pair of channels (each hop is a
// continuation resumed by the other task). Prints one line per executor and workload.

import ArgumentParser
import Glibc
import RunvizLock
import RunvizRuntime
import RunvizSystem
import Synchronization

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure job hops per second: runviz (events on/off) vs Swift's global executor.")

    @Option(name: .long, help: "Yields per task in the yield workload.")
    var yields: Int = 1_000_000

    @Option(name: .long, help: "Round trips in the ping-pong workload.")
    var pings: Int = 200_000

    @Option(name: .long, help: "Repetitions; the best of them is reported.")
    var repeats: Int = 3

    @Option(name: .long, help: "Worker threads for the runviz runtime (default: cores).")
    var workers: Int?

    enum Executor: String, ExpressibleByArgument, CaseIterable {
        case all, eventsOn = "events-on", eventsOff = "events-off", global
    }

    @Option(
        name: .long,
        help: "Run one executor only (for instruction counts under callgrind): all, events-on, events-off, global.")
    var executor: Executor = .all

    func validate() throws {
        guard yields > 0, pings > 0, (1...20).contains(repeats) else {
            throw ValidationError("--yields and --pings must be positive, --repeats 1…20")
        }
    }

    func run() throws {
        let tasks = workers ?? RuntimeConfiguration.onlineCores
        print(
            "job hops per second (best of \(repeats)); \(tasks) yielding tasks, \(yields) yields each; \(pings) ping-pong round trips"
        )
        var results: [(String, Double, Double)] = []
        let runviz = [("runviz, events on", true, Executor.eventsOn), ("runviz, events off", false, .eventsOff)]
        for (label, instrumented, which) in runviz where executor == .all || executor == which {
            let rt = try Runtime(RuntimeConfiguration(workers: workers, instrumentation: instrumented))
            // Drain rings meanwhile so "events on" pays for recording without filling up and dropping.
            let draining = Atomic<Bool>(true)
            let drainer = try OSThread.start(name: "bench-drainer") {
                while draining.load(ordering: .relaxed) {
                    for r in rt.telemetry.rings { r.drain { _ in } }
                    usleep(2000)
                }
            }
            var bestYield = 0.0
            var bestPing = 0.0
            for _ in 0..<repeats {
                bestYield = max(
                    bestYield,
                    try rt.blockOn {
                        await Self.yieldLoop(
                            tasks: tasks, yields: yields, on: rt, spawn: { n, b in rt.spawn(name: n, b) })
                    })
                let spawn: Spawner = { n, b in rt.spawn(name: n, b) }
                bestPing = max(bestPing, try rt.blockOn { try await Self.pingPong(pings, spawn: spawn) })
            }
            draining.store(false, ordering: .relaxed)
            drainer.join()
            let dropped = rt.telemetry.dropped
            rt.shutdown()
            results.append((label + (instrumented ? " (dropped \(dropped))" : ""), bestYield, bestPing))
        }
        var bestYield = 0.0
        var bestPing = 0.0
        for _ in 0..<(executor == .all || executor == .global ? repeats : 0) {
            bestYield = max(
                bestYield,
                try Self.onGlobal { await Self.yieldLoop(tasks: tasks, yields: yields, on: nil, spawn: Self.detached) })
            bestPing = max(bestPing, try Self.onGlobal { try await Self.pingPong(pings, spawn: Self.detached) })
        }
        if executor == .all || executor == .global { results.append(("Swift global executor", bestYield, bestPing)) }
        print(String(cFormat: "one recorded event costs %.1f ns (clock read + ring store)", Runtime.measureEventCost()))
        for (label, y, p) in results {
            print(
                Self.padded(label, to: 40)
                    + String(cFormat: "yield %6.2f M hops/s   ping-pong %6.2f M hops/s", y / 1e6, p / 1e6))
        }
    }

    typealias Spawner = @Sendable (String, @escaping @Sendable () async throws -> Void) -> Waitable

    static let detached: Spawner = { _, body in GlobalTask(Task.detached { try await body() }) }

    static func onGlobal(_ body: @escaping @Sendable () async throws -> Double) throws -> Double {
        let box = Lock<Result<Double, any Error>?>(nil)
        let done = Parker()
        Task.detached {
            let result: Result<Double, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            _ = done.unpark()
        }
        while true {
            if let result = box.withLock({ $0 }) { return try result.get() }
            done.park()
        }
    }

    /// `label` cut or padded with spaces to `width` characters, so the figures after it line up.
    static func padded(_ label: String, to width: Int) -> String {
        String(label.prefix(width)) + String(repeating: " ", count: max(0, width - label.count))
    }

    /// `tasks` tasks each yield `yields` times, to `runtime`'s other ready tasks or (nil) through
    /// Swift's global executor; hops per second.
    static func yieldLoop(tasks: Int, yields: Int, on runtime: Runtime?, spawn: Spawner) async -> Double {
        let start = Runtime.now
        var handles: [Waitable] = []
        for i in 0..<tasks {
            handles.append(
                spawn("yielder-\(i)") {
                    if let runtime {
                        for _ in 0..<yields { await runtime.yieldNow() }
                    } else {
                        for _ in 0..<yields { await Task.yield() }
                    }
                })
        }
        for h in handles { await h.wait() }
        return Double(tasks * yields) / (Double(Runtime.now - start) / 1e9)
    }

    /// Two tasks pass a number back and forth over two channels; two hops per round trip.
    static func pingPong(_ rounds: Int, spawn: Spawner) async throws -> Double {
        let ping = try Channel<Int>(capacity: 1)
        let pong = try Channel<Int>(capacity: 1)
        let start = Runtime.now
        let a = spawn("ping") {
            for i in 0..<rounds {
                try await ping.send(i)
                _ = try await pong.receive()
            }
        }
        let b = spawn("pong") {
            for _ in 0..<rounds {
                guard let v = try await ping.receive() else { return }
                try await pong.send(v)
            }
        }
        await a.wait()
        await b.wait()
        return Double(2 * rounds) / (Double(Runtime.now - start) / 1e9)
    }
}

protocol Waitable: Sendable { func wait() async }
extension JoinHandle: Waitable { func wait() async { _ = await result } }
struct GlobalTask: Waitable {
    let task: Task<Void, Error>
    init(_ task: Task<Void, Error>) { self.task = task }
    func wait() async { _ = await task.result }
}
