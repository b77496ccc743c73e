// Each demo, checked by what the runtime did: `s` drops its task's handle while `S` awaits every
// one, as the model shows it; join elapsed ≈ max vs ≈ sum; one blocker leaves the other worker
// replying to echo clients, a second `b` while it blocks holds both workers until 2 s after it and
// the replies stall; the blocking-lock demo keeps a worker blocked on the lock for most of its 2 s
// while the async-mutex demo parks tasks and leaves workers free; channel
// consumers park on receive and are woken by producers, on the channel the demo names; thread mode
// serves each client on its own thread; the lazy demo leaves spawned tasks queued and never polled
// while the workers are busy; the current run follows the tasks a demo started until they return.

import Foundation
import Glibc
import RunvizEcho
import RunvizObservation
import RunvizRuntime
import RunvizTestSupport
import Testing

@testable import RunvizDemos

struct DemoFixture {
    let watch: RuntimeWatch
    let server: EchoServer
    let demos: DemoRunner
    var runtime: Runtime { watch.runtime }

    init(workers: Int = 2) throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: workers))
        watch = RuntimeWatch(runtime)
        server = try EchoServer(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: 0))
        server.start()
        demos = DemoRunner(runtime: runtime, server: server, clients: nil)
    }

    func snapshot() -> RuntimeSnapshot { watch.snapshot() }

    /// Polls until `condition` holds on a fresh snapshot (true) or `seconds` pass (false).
    func waitFor(_ seconds: Double = 5, _ condition: (RuntimeSnapshot, DemoSnapshot) -> Bool) -> Bool {
        watch.waitFor(seconds: seconds) { condition($0, demos.snapshot) }.1
    }

    func stop() {
        server.stop()
        runtime.shutdown()
    }
}

@Suite struct DemoRunnerTests {
    @Test func aSpawnedTasksHandleIsDroppedAndABurstAwaitsEveryHandle() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.spawnTasks(count: 1))
        let demo: (TaskSnapshot) -> Bool = { $0.name.hasPrefix("demo-") }
        // Nobody awaits the one demo task: marked while it sleeps, and still once it is done.
        #expect(f.waitFor { s, _ in s.tasks.contains { demo($0) && $0.handle == .dropped && $0.state != .completed } })
        #expect(f.waitFor { s, _ in s.tasks.contains { demo($0) && $0.handle == .dropped && $0.state == .completed } })
        f.demos.apply(.spawnTasks(count: 3))
        let (s, awaited) = f.watch.waitFor(seconds: 5) { s in
            guard let burst = s.tasks.first(where: { $0.name == "burst" }) else { return false }
            return s.tasks.filter { demo($0) && $0.handle == .awaited(by: burst.id) && $0.state == .completed }.count
                == 3
        }
        #expect(awaited, "\(s.tasks.map { "\($0.id) \($0.name) \($0.state.word) \($0.handle)" })")
        #expect(f.demos.snapshot.lastAction?.hasSuffix("burst: it awaits the handles of 3 demo tasks in turn") == true)
    }

    @Test func joinDemoMeasuresMaxConcurrentlyAndSumSequentially() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.joinDemo)
        #expect(f.waitFor(4) { _, d in d.join?.sequentialNanos != nil })
        let join = try #require(f.demos.snapshot.join)
        let concurrent = try #require(join.concurrentNanos)
        let sequential = try #require(join.sequentialNanos)
        #expect(concurrent >= 500_000_000 && concurrent < 700_000_000, "concurrent \(concurrent)")
        #expect(sequential >= 800_000_000 && sequential < 1_050_000_000, "sequential \(sequential)")
        #expect(f.demos.snapshot.join?.startedAt ?? 0 > 0)
    }

    /// Seconds one byte takes to come back from the echo server on `fd`.
    static func roundTrip(_ fd: Int32) -> Double {
        var byte: UInt8 = 42
        let start = Runtime.now
        guard send(fd, &byte, 1, 0) == 1, recv(fd, &byte, 1, 0) == 1 else { return .infinity }
        return Double(Runtime.now - start) / 1e9
    }

    static func blockedWorkers(_ s: RuntimeSnapshot) -> Int {
        s.workers.filter { if case .blocked(_, "blocker", _) = $0.state { true } else { false } }.count
    }

    @Test func oneBlockerLeavesAWorkerReplyingAndASecondStallsTheReplies() throws {
        let f = try DemoFixture(workers: 2)
        defer { f.stop() }
        let fd = try #require(connectLoopback(port: f.server.address.port) { setTimeouts($0) })
        defer { close(fd) }
        #expect(Self.roundTrip(fd) < 0.5)
        f.demos.apply(.blockWorker)
        #expect(f.waitFor(2) { s, _ in Self.blockedWorkers(s) == 1 })
        for _ in 0..<5 {
            #expect(Self.roundTrip(fd) < 0.3, "the other worker replies while one is blocked")
            usleep(100_000)
        }
        usleep(300_000)
        // About a second into the first block: a second blocker takes the other worker.
        let second = Runtime.now
        f.demos.apply(.blockWorker)
        #expect(f.waitFor(2) { s, _ in Self.blockedWorkers(s) == 2 })
        let stalled = Self.roundTrip(fd)
        let sinceSecond = Double(Runtime.now - second) / 1e9
        #expect(stalled > 1.2, "no worker is left to reply: the reply waits for the blockers")
        #expect(sinceSecond >= 1.9, "every blocker holds its worker until 2 s after the last b, not 2 s after its own")
        let run = try #require(f.demos.snapshot.current)
        #expect(run.demo == .blockWorker)
        #expect(run.tasks.count == 2, "one series: the second blocker joined the first")
        #expect(f.waitFor(2) { _, d in d.current?.isDone == true })
        #expect(Self.roundTrip(fd) < 0.5, "replies flow again")
    }

    @Test func blockingLockDemoKeepsAWorkerBlockedOnTheLockForMostOfIt() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.lockDemo(blocking: true))
        var blockedNanos: UInt64 = 0
        var last = Runtime.now
        let deadline = Date().addingTimeInterval(6)
        while Date() < deadline, f.demos.snapshot.lock?.elapsedNanos == nil {
            let s = f.snapshot()
            let now = Runtime.now
            if s.workers.contains(where: { if case .blockedOnLock = $0.state { true } else { false } }) {
                blockedNanos += now - last
            }
            last = now
            usleep(5_000)
        }
        let lock = try #require(f.demos.snapshot.lock)
        let elapsed = try #require(lock.elapsedNanos)
        #expect(elapsed >= 2_000_000_000 && elapsed < 3_000_000_000, "about 2 s, like b: \(elapsed)")
        #expect(blockedNanos >= 1_500_000_000, "a worker waits on the lock for most of the demo: \(blockedNanos) ns")
    }

    /// With one worker the blocking lock deadlocks for real: the waiter blocks the only worker the
    /// holder could resume on. The waiter gives up, says so, and the runtime serves again.
    @Test func withOneWorkerTheBlockingLockDeadlockIsSaidAndUndone() throws {
        let f = try DemoFixture(workers: 1)
        defer { f.stop() }
        f.demos.apply(.lockDemo(blocking: true))
        let said = f.waitFor(Double(DemoRunner.lockGiveUpNanos) / 1e9 + 3) { _, d in
            d.lastAction?.hasPrefix("deadlock: ") == true
        }
        #expect(said, "\(f.demos.snapshot.lastAction ?? "nothing said")")
        #expect(f.demos.snapshot.lastAction?.hasSuffix("for a lock whose holder needs it to resume; gave up") == true)
        #expect(f.waitFor(3) { _, d in d.lock?.elapsedNanos != nil })
        #expect(f.demos.snapshot.lock?.gaveUp == 1, "the demo line can say it ended a deadlock")
        #expect(
            f.waitFor(3) { s, _ in !s.workers.contains { if case .blockedOnLock = $0.state { true } else { false } } })
        let h = f.demos.runtime.spawn(name: "after") { 42 }
        #expect(try f.demos.runtime.blockOn { try await h.value } == 42, "the worker runs tasks again")
    }

    @Test func theCurrentRunFollowsTheTasksADemoStartedUntilTheyReturn() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.spawnTasks(count: 5))
        let spawn = try #require(f.demos.snapshot.current)
        #expect(spawn.demo == .spawn(count: 5))
        #expect(spawn.tasks.count == 5 && spawn.finished == 0)
        #expect(f.waitFor(4) { _, d in d.current?.finished == 5 })
        f.demos.apply(.lazyDemo)
        #expect(f.waitFor(2) { _, d in d.current?.tasks.count == 20 }, "the lazy tasks are followed")
        #expect(f.waitFor(3) { _, d in d.current?.isDone == true })
        f.demos.apply(.blockOnPool)
        let pool = try #require(f.demos.snapshot.current)
        #expect(pool.demo == .blockOnPool && pool.tasks.count == 1 && pool.endsAt != nil)
        f.demos.apply(.toggleServerMode)
        #expect(f.demos.snapshot.current?.demo == .serverMode(.threads))
    }

    @Test func blockingLockDemoBlocksWorkersOnTheLock() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.lockDemo(blocking: true))
        let sawBlocked = f.waitFor(3) { s, _ in
            s.workers.contains { if case .blockedOnLock = $0.state { true } else { false } }
        }
        #expect(sawBlocked)
        #expect(f.waitFor(5) { _, d in d.lock?.elapsedNanos != nil })
    }

    @Test func asyncMutexDemoParksTasksAndLeavesWorkersFree() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.lockDemo(blocking: false))
        var sawParked = false
        var sawWorkerBlocked = false
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, f.demos.snapshot.lock?.elapsedNanos == nil {
            let s = f.snapshot()
            if (s.taskCounts.parked[.mutex] ?? 0) >= 1 { sawParked = true }
            for w in s.workers {
                switch w.state {
                case .blockedOnLock, .blocked: sawWorkerBlocked = true
                default: break
                }
            }
            usleep(2_000)
        }
        #expect(sawParked)
        #expect(!sawWorkerBlocked)
        let lock = try #require(f.demos.snapshot.lock)
        #expect(lock.finished == lock.tasks)
        #expect(lock.holder == nil, "nobody holds it once all are done")
        #expect(lock.mutexID != nil)
    }

    @Test func bothLockDemosDoTheSameWork() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.lockDemo(blocking: true))
        let blocking = try #require(f.demos.snapshot.lock)
        #expect(f.waitFor(5) { _, d in d.lock?.elapsedNanos != nil })
        f.demos.apply(.lockDemo(blocking: false))
        let async = try #require(f.demos.snapshot.lock)
        #expect(blocking.tasks == async.tasks, "a fair comparison: the same tasks, rounds and hold time")
        #expect(f.waitFor(3) { _, d in d.lock?.holder != nil }, "the holder is named while it holds")
    }

    @Test func channelDemoParksConsumersAndProducersAndWakesThem() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.channelDemo)
        var sawFull = false
        var sawEmpty = false
        var sawTaskWake = false
        var channels = Set<UInt32>()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let s = f.snapshot()
            for t in s.tasks {
                if case .parked(.channel(let id, let sending)) = t.state {
                    channels.insert(id)
                    if sending && t.name.hasPrefix("producer") { sawFull = true }
                    if !sending && t.name.hasPrefix("consumer") { sawEmpty = true }
                }
            }
            if s.wakeups.contains(where: { $0.source == .task && $0.taskName.hasPrefix("consumer") }) {
                sawTaskWake = true
            }
            if let c = f.demos.snapshot.channel, c.received == c.total, sawFull, sawEmpty, sawTaskWake { break }
            usleep(2_000)
        }
        #expect(sawFull, "a producer parked on a full channel")
        #expect(sawEmpty, "a consumer parked on an empty channel")
        #expect(sawTaskWake, "a consumer woken by a task")
        let c = try #require(f.demos.snapshot.channel)
        #expect(c.received == c.total)
        #expect(channels == [c.id], "the demo names the channel its tasks park on, for the screen to count them")
    }

    @Test func threadModeServesEachClientOnItsOwnThread() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.toggleServerMode)
        #expect(f.server.mode == .threads)
        var fds: [Int32] = []
        defer { for fd in fds { close(fd) } }
        for _ in 0..<8 { fds.append(try #require(connectLoopback(port: f.server.address.port))) }
        #expect(f.waitFor(3) { _, _ in f.server.stats.openThreadCount == 8 })
        #expect(f.server.stats.openTaskCount == 0)
        for fd in fds { close(fd) }
        fds.removeAll()
        #expect(f.waitFor(3) { _, _ in f.server.stats.openThreadCount == 0 })
    }

    @Test func lazyDemoShowsSpawnedTasksNotYetPolled() throws {
        let f = try DemoFixture()
        defer { f.stop() }
        f.demos.apply(.lazyDemo)
        let sawLazy = f.waitFor(3) { s, _ in
            s.tasks.contains { $0.name.hasPrefix("lazy-") && $0.state == .notYetPolled }
        }
        #expect(sawLazy)
        #expect(f.waitFor(3) { s, _ in !s.tasks.contains { $0.name.hasPrefix("lazy-") && $0.state == .notYetPolled } })
    }
}
