// Applies the dashboard's Commands to the runtime: every key's effect is real code running on the
// runviz runtime (spawned tasks, a blocking sleep, the blocking pool, locks, channels, async let),
// and every demo publishes what it measured for the screen, and as `current` which demo ran last
// and the tasks it follows, for the caption. Runs on the UI thread; it only spawns and returns,
// never waits on the runtime.

import Glibc
import RunvizEcho
import RunvizLoad
import RunvizLock
import RunvizObservation
import RunvizRuntime
import RunvizTelemetry
import Synchronization

public final class DemoRunner: Sendable {
    public let runtime: Runtime
    public let server: EchoServer
    public let clients: SyntheticClients?
    private let state = Lock(DemoSnapshot())
    private let counter = Atomic<Int>(0)
    /// When the blockers of the current `b` series return: each blocker moves it to 2 s after its start.
    private let blockUntil = Atomic<UInt64>(0)
    static let blockNanos: UInt64 = 2_000_000_000
    /// How long each lock demo task holds the lock per round (three rounds each, the other waiting).
    static let lockHoldMillis = 350

    public init(runtime: Runtime, server: EchoServer, clients: SyntheticClients?) {
        self.runtime = runtime
        self.server = server
        self.clients = clients
    }

    public var snapshot: DemoSnapshot { state.withLock { $0 } }

    private func update(_ body: (inout DemoSnapshot) -> Void) { state.withLock { body(&$0) } }

    private func said(_ text: String) { update { $0.lastAction = text } }

    /// Makes `demo` the current one, from now; returns its start, which names the run for `addTasks`.
    @discardableResult
    private func begin(_ demo: DemoRun.Demo, tasks: [TaskID] = [], endsAt: UInt64? = nil) -> UInt64 {
        let now = Runtime.now
        update { $0.current = DemoRun(demo: demo, startedAt: now, tasks: tasks, endsAt: endsAt) }
        return now
    }

    /// Adds `tasks` to the run started at `startedAt`, if it is still the current one.
    private func addTasks(_ tasks: [TaskID], toRunStartedAt startedAt: UInt64) {
        update {
            guard $0.current?.startedAt == startedAt else { return }
            $0.current?.tasks += tasks
        }
    }

    /// Counts `task`'s return, if the current run follows it.
    private func returned(_ task: TaskID) {
        update {
            guard $0.current?.tasks.contains(task) == true else { return }
            $0.current?.finished += 1
        }
    }

    /// Starts what `command` asks for. Commands that are not demos (following a task, switching
    /// instrumentation) belong to the session and are ignored here.
    public func apply(_ command: Command) {
        switch command {
        case .spawnTasks(let count): spawnTasks(count)
        case .blockWorker: blockWorker()
        case .blockOnPool: blockOnPool()
        case .addClients(let n):
            guard let clients else { return said("synthetic clients are unavailable") }
            let before = clients.count
            clients.add(n)
            begin(.clients(change: clients.count - before, running: clients.count))
            said("added \(clients.count - before) synthetic clients (\(clients.count) now)")
        case .removeClients(let n):
            guard let clients else { return }
            let before = clients.count
            clients.remove(n)
            begin(.clients(change: clients.count - before, running: clients.count))
            said("removed \(before - clients.count) synthetic clients (\(clients.count) now)")
        case .joinDemo: joinDemo()
        case .lockDemo(let blocking): lockDemo(blocking: blocking)
        case .channelDemo: channelDemo()
        case .toggleServerMode:
            server.mode = server.mode == .tasks ? .threads : .tasks
            begin(.serverMode(EchoSnapshot.Mode(server.mode)))
            said(
                "new connections are served by \(server.mode == .tasks ? "one task each" : "one OS thread each")")
        case .lazyDemo: lazyDemo()
        case .follow, .toggleInstrumentation: break
        }
    }

    /// `s`: one task that sleeps on a runtime timer, then does a little work; its JoinHandle is
    /// dropped at once, so nobody awaits it (the primer's forgotten await). `S`: a burst of them
    /// spawned by one task that awaits every handle in turn, so each one's completion is awaited.
    private func spawnTasks(_ count: Int) {
        // The tasks sleep at least 200 ms: they are followed before any of them returns.
        let run = begin(.spawn(count: count))
        guard count > 1 else {
            let h = spawnDemo(on: runtime)
            addTasks([h.id], toRunStartedAt: run)
            return said("spawned \(h.id) demo: sleeps on a timer, then works 200 µs; its handle is dropped")
        }
        let handles = (0..<count).map { _ in spawnDemo(on: runtime) }
        addTasks(handles.map(\.id), toRunStartedAt: run)
        let burst = runtime.spawn(name: "burst") {
            for h in handles { try await h.value }
        }
        said("spawned \(burst.id) burst: it awaits the handles of \(count) demo tasks in turn")
    }

    private func spawnDemo(on rt: Runtime) -> JoinHandle<Void> {
        let n = counter.add(1, ordering: .relaxed).newValue
        return rt.spawn(name: "demo-\(n)") { [self] in
            try await rt.sleep(for: .milliseconds(200 + (n * 397) % 1800))
            let until = Runtime.now + 200_000
            while Runtime.now < until {}
            returned(Runtime.currentTask)
        }
    }

    /// `b`: the primer's pitfall — a blocking sleep inside async holds a worker for 2 s. A `b` while
    /// blockers still hold their workers adds one on the next free worker, and every blocker of the
    /// series holds on until 2 s after the last one started, so with the default two workers `b b`
    /// stalls the whole runtime for 2 s.
    private func blockWorker() {
        let h = runtime.spawn(name: "blocker") { [self] in
            let started = Runtime.now
            let until = blockUntil.max(started + Self.blockNanos, ordering: .relaxed).newValue
            update { if $0.current?.tasks.contains(Runtime.currentTask) == true { $0.current?.endsAt = until } }
            // Re-read every 50 ms: a blocker that starts later moves the end on.
            while true {
                let now = Runtime.now
                let until = blockUntil.load(ordering: .relaxed)
                if now >= until { break }
                usleep(UInt32(min(until - now, 50_000_000) / 1_000))
            }
            returned(Runtime.currentTask)
        }
        let until = max(blockUntil.load(ordering: .relaxed), Runtime.now + Self.blockNanos)
        var joined = false
        update {
            if var run = $0.current, run.demo == .blockWorker, !run.isDone {
                run.tasks.append(h.id)
                run.endsAt = until
                $0.current = run
                joined = true
            } else {
                $0.current = DemoRun(demo: .blockWorker, startedAt: Runtime.now, tasks: [h.id], endsAt: until)
            }
        }
        said(
            joined
                ? "\(h.id) blocker calls usleep inside async too: every blocker holds its worker 2 s more"
                : "\(h.id) blocker calls usleep(2 s) inside async: its worker is BLOCKED")
    }

    /// `B`: the same 2 s through spawnBlocking; the task parks, a pool thread blocks.
    private func blockOnPool() {
        let rt = runtime
        let h = runtime.spawn(name: "offloader") { [self] in
            try await rt.spawnBlocking(name: "usleep") { usleep(UInt32(Self.blockNanos / 1_000)) }
            returned(Runtime.currentTask)
        }
        begin(.blockOnPool, tasks: [h.id], endsAt: Runtime.now + Self.blockNanos)
        said("\(h.id) offloader runs usleep(2 s) on the blocking pool: workers stay free")
    }

    /// `a`: two sleeps awaited concurrently with `async let`, then one after the other.
    private func joinDemo() {
        let rt = runtime
        let start = begin(.join)
        update { $0.join = .init(firstMillis: 300, secondMillis: 500, startedAt: start) }
        said("join demo: async let of 300 ms and 500 ms sleeps, then the same sequentially")
        runtime.spawn(name: "join-demo") { [self] in
            let t0 = Runtime.now
            async let a: Void = rt.sleep(for: .milliseconds(300))
            async let b: Void = rt.sleep(for: .milliseconds(500))
            _ = try await (a, b)
            let concurrent = Runtime.now - t0
            update { $0.join?.concurrentNanos = concurrent }
            let t1 = Runtime.now
            try await rt.sleep(for: .milliseconds(300))
            try await rt.sleep(for: .milliseconds(500))
            let sequential = Runtime.now - t1
            update { $0.join?.sequentialNanos = sequential }
        }
    }

    /// `m` / `M`: the same work either way: tasks take a lock and hold it across an await for
    /// `lockHoldMillis`, then do a little work outside it (20 ms), three rounds each. The lock
    /// serializes them, so both take about as long (about 2 s); what differs is the cost of waiting
    /// (a blocked worker vs a parked task). The work outside the lock lets the waiter take it: a
    /// holder that relocked at once would win the blocking lock back every round, and the demo
    /// would show one task's rounds with nobody waiting.
    /// How long a task of the blocking-lock demo waits for the lock before it gives up: far longer
    /// than a round (`lockHoldMillis`), so it only ends a deadlock.
    static let lockGiveUpNanos: UInt64 = 4_000_000_000

    private func lockDemo(blocking: Bool) {
        let rt = runtime
        // One contender per worker (at least two): with a blocking lock, one more would block the
        // last worker and nobody could run the holder's wakeup (the pitfall taken to its end). With
        // one worker that end comes: the waiter blocks the only worker the holder could resume on.
        // It gives up after `lockGiveUpNanos`, so the deadlock is seen, said, and then undone.
        let tasks = max(2, rt.configuration.workers)
        let finished = Atomic<Int>(0)
        let start = begin(.lock(blocking: blocking))
        let blockingLock = BlockingLock()
        let asyncMutex = AsyncMutex()
        update {
            $0.lock = .init(
                blocking: blocking, tasks: tasks, mutexID: blocking ? nil : asyncMutex.id, startedAt: start)
        }
        said(
            blocking
                ? "lock demo: \(tasks) tasks hold a blocking lock across an await — waiting workers block"
                : "lock demo: \(tasks) tasks hold the async mutex across an await — waiters park, workers stay free")
        let done: @Sendable () -> Void = { [self] in
            let n = finished.add(1, ordering: .relaxed).newValue
            update {
                $0.lock?.finished = n
                if n == tasks { $0.lock?.elapsedNanos = Runtime.now - start }
            }
        }
        for i in 0..<tasks {
            runtime.spawn(name: blocking ? "blocklock-\(i)" : "asyncmutex-\(i)") { [self] in
                for _ in 0..<3 {
                    if !blocking {
                        try await asyncMutex.lock()
                    } else if !blockingLock.lock(timeoutNanos: Self.lockGiveUpNanos) {
                        let waited = Self.lockGiveUpNanos / 1_000_000_000
                        said(
                            "deadlock: \(Runtime.currentTask) held the only worker \(waited) s for a lock whose holder "
                                + "needs it to resume; gave up")
                        update { $0.lock?.gaveUp += 1 }
                        return done()
                    }
                    update { $0.lock?.holder = Runtime.currentTask }
                    try await rt.sleep(for: .milliseconds(Self.lockHoldMillis))
                    update { $0.lock?.holder = nil }
                    if blocking { blockingLock.unlock() } else { asyncMutex.unlock() }
                    try await rt.sleep(for: .milliseconds(20))
                }
                done()
            }
        }
    }

    /// `n`: producers and consumers on a bounded channel; first the consumers are slow (producers
    /// park on a full channel), then the producers are slow (consumers park on an empty one).
    private func channelDemo() {
        let rt = runtime
        let capacity = 4
        let perProducer = 20
        let producers = 2
        let consumers = 2
        let ch: Channel<Int>
        do {
            ch = try Channel(capacity: capacity)
        } catch {
            said("channel demo: \(error)")
            return
        }
        let sent = Atomic<Int>(0)
        let received = Atomic<Int>(0)
        let start = begin(.channel)
        update {
            $0.channel = .init(id: ch.id, capacity: capacity, total: producers * perProducer, startedAt: start)
        }
        said("channel demo: \(producers) producers, \(consumers) consumers, capacity \(capacity)")
        let publish: @Sendable () -> Void = { [self] in
            update {
                $0.channel?.buffered = ch.count
                $0.channel?.sent = sent.load(ordering: .relaxed)
                $0.channel?.received = received.load(ordering: .relaxed)
            }
        }
        let remaining = Atomic<Int>(producers)
        for p in 0..<producers {
            runtime.spawn(name: "producer-\(p)") {
                for i in 0..<perProducer {
                    if i >= perProducer / 2 { try await rt.sleep(for: .milliseconds(150)) }
                    publish()
                    try await ch.send(p * 1000 + i)
                    sent.add(1, ordering: .relaxed)
                    publish()
                }
                if remaining.subtract(1, ordering: .relaxed).newValue == 0 { ch.close() }
            }
        }
        for c in 0..<consumers {
            runtime.spawn(name: "consumer-\(c)") {
                while true {
                    publish()
                    guard try await ch.receive() != nil else { break }
                    let n = received.add(1, ordering: .relaxed).newValue
                    publish()
                    if n < producers * perProducer / 2 { try await rt.sleep(for: .milliseconds(120)) }
                }
                publish()
            }
        }
    }

    /// `f`: occupy every worker for 400 ms; the last hog to start spawns 20 tasks onto its own
    /// queue, where they wait as "new" (spawned, queued, not yet polled) until a worker is free: no
    /// worker is idle to steal them.
    private func lazyDemo() {
        let workers = runtime.configuration.workers
        let arrived = Atomic<Int>(0)
        let rt = runtime
        let run = begin(.lazy(hogs: workers))
        for i in 0..<workers {
            runtime.spawn(name: "hog-\(i)") { [self] in
                if arrived.add(1, ordering: .relaxed).newValue == workers {
                    // Every worker is held by a hog: none of these runs before they are followed.
                    let lazy = (0..<20).map { j in
                        rt.spawn(name: "lazy-\(j)") { [self] in
                            await rt.yieldNow()
                            returned(Runtime.currentTask)
                        }.id
                    }
                    addTasks(lazy, toRunStartedAt: run)
                }
                let until = Runtime.now + 400_000_000
                while Runtime.now < until {}
            }
        }
        said("futures-are-lazy demo: \(workers) hogs hold every worker 400 ms; 20 new tasks wait unpolled")
    }
}
