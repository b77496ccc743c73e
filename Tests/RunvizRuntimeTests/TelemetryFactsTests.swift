// What the runtime recorded, checked against what happened: a task parked on a socket read shows
// as parked on that fd, and its wakeup chain runs fd → task → worker; a blocking sleep inside a
// task marks its worker BLOCKED; spawnBlocking work occupies no worker; async mutex waiters park
// and are served in order.

import CRunvizLinux
import Foundation
import Glibc
import RunvizLock
import RunvizRuntime
import RunvizTestSupport
import Synchronization
import Testing

@Suite struct TelemetryFactsTests {
    @Test func socketReadParksOnTheFdAndTheWakeupChainRunsFdTaskWorker() async throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        let listener = try TCPListener(runtime: rt, address: SocketAddress(host: "127.0.0.1", port: 0))
        let serverFD = Atomic<Int32>(-1)
        let reader = rt.spawn(name: "reader") { () -> [UInt8]? in
            let conn = try await listener.accept()
            serverFD.store(conn.fd, ordering: .relaxed)
            defer { conn.close() }
            return try await conn.read(maxBytes: 16)
        }
        // A plain blocking client socket from the test thread.
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = listener.address.port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(rc == 0)
        #expect(eventually { serverFD.load(ordering: .relaxed) >= 0 })
        let fd = serverFD.load(ordering: .relaxed)
        let (parked, ok) = o.waitFor { s in
            s.task(reader.id)?.state == .parked(.io(fd: fd, interest: .read))
        }
        #expect(ok, "reader state: \(String(describing: parked.task(reader.id)?.state))")
        #expect(parked.fds.contains { $0.fd == fd && $0.interest.contains(.read) && $0.owner == reader.id })

        let bytes: [UInt8] = [1, 2, 3]
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, 3, 0) }
        let value = try await reader.value
        #expect(value == [1, 2, 3])
        let (s, found) = o.waitFor { s in s.wakeups.contains { $0.task == reader.id && $0.source == .io } }
        #expect(found)
        let chain = try #require(s.wakeups.last { $0.task == reader.id && $0.source == .io })
        #expect(chain.sourceArgument == UInt64(fd))
        #expect(chain.readiness.contains(.read))
        #expect(chain.worker >= 0 && chain.worker < 2)
        #expect(chain.latencyNanos < 1_000_000_000)
        listener.close()
    }

    @Test func blockingSleepInsideATaskMarksItsWorkerBlocked() throws {
        let o = try RuntimeWatch(blockedMs: 10)
        defer { o.runtime.shutdown() }
        let h = o.runtime.spawn(name: "blocker") { usleep(300_000) }
        let (s, ok) = o.waitFor { s in
            s.workers.contains { if case .blocked(h.id, "blocker", _) = $0.state { return true } else { return false } }
        }
        #expect(ok, "workers: \(s.workers.map(\.state))")
        let lints = o.lints()
        #expect(lints.contains { $0.kind == .blockedWorker && $0.task == h.id })
        _ = try o.runtime.blockOn { try await h.value }
    }

    @Test func spawnBlockingWorkOccupiesNoWorker() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        let started = Atomic<Bool>(false)
        let h = rt.spawn(name: "offload") {
            try await rt.spawnBlocking(name: "sleep") {
                started.store(true, ordering: .relaxed)
                usleep(300_000)
                return runviz_gettid()
            }
        }
        #expect(eventually { started.load(ordering: .relaxed) })
        let (s, ok) = o.waitFor { s in s.task(h.id)?.state == .parked(.blockingPool) }
        #expect(ok)
        #expect(s.blockingPool.busy == 1)
        for w in s.workers {
            if case .blocked = w.state { Issue.record("worker \(w.index) blocked") }
            if case .running(h.id, _, _) = w.state { Issue.record("worker \(w.index) runs the offloading task") }
        }
        let tid = try rt.blockOn { try await h.value }
        #expect(threadName(tid).hasPrefix("runviz-blk"))
        let (after, woke) = o.waitFor { s in
            s.wakeups.contains { $0.task == h.id && $0.source == .blockingPool }
        }
        #expect(woke, "\(after.wakeups.map { ($0.task, $0.source) })")
    }

    @Test func asyncMutexWaitersParkAndAreServedInOrder() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        let mutex = AsyncMutex()
        let order = Lock<[Int]>([])
        let gate = Atomic<Bool>(false)
        let holder = rt.spawn(name: "holder") {
            try await mutex.lock()
            while !gate.load(ordering: .relaxed) { try await rt.sleep(for: .milliseconds(1)) }
            mutex.unlock()
        }
        #expect(eventually { mutex.isLocked })
        var waiters: [JoinHandle<Void>] = []
        for i in 0..<4 {
            waiters.append(
                rt.spawn(name: "waiter-\(i)") {
                    try await mutex.lock()
                    order.withLock { $0.append(i) }
                    mutex.unlock()
                })
            #expect(eventually { mutex.waiterCount == i + 1 })
        }
        let (s, ok) = o.waitFor { s in
            waiters.allSatisfy { s.task($0.id)?.state == .parked(.mutex(id: mutex.id)) }
        }
        #expect(ok)
        #expect(s.taskCounts.parked[.mutex] == 4)
        gate.store(true, ordering: .relaxed)
        let all = waiters
        try rt.blockOn {
            try await holder.value
            for w in all { try await w.value }
        }
        #expect(order.withLock { $0 } == [0, 1, 2, 3])
    }

    @Test func channelReceiversParkAndAreWokenBySenders() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        let ch = try Channel<Int>(capacity: 2)
        let consumer = rt.spawn(name: "consumer") { try await ch.receive() }
        let (_, parked) = o.waitFor { s in
            s.task(consumer.id)?.state == .parked(.channel(id: ch.id, sending: false))
        }
        #expect(parked)
        let producer = rt.spawn(name: "producer") { try await ch.send(7) }
        let got = try rt.blockOn { try await consumer.value }
        #expect(got == 7)
        try rt.blockOn { try await producer.value }
        let (s, woke) = o.waitFor { s in
            s.wakeups.contains { $0.task == consumer.id && $0.source == .task && $0.sourceArgument == producer.id.raw }
        }
        #expect(woke, "\(s.wakeups.map { ($0.task, $0.source, $0.sourceArgument) })")
    }

    @Test func sleepingTaskParksOnTheTimerHeapAndOccupiesNoWorker() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        let h = rt.spawn(name: "sleeper") { try await rt.sleep(for: .milliseconds(400)) }
        let (s, ok) = o.waitFor { s in
            if case .parked(.timer) = s.task(h.id)?.state { return true } else { return false }
        }
        #expect(ok)
        #expect(s.workers.allSatisfy { if case .running(h.id, _, _) = $0.state { false } else { true } })
        try o.runtime.blockOn { try await h.value }
        let (_, woke) = o.waitFor { s in s.wakeups.contains { $0.task == h.id && $0.source == .timer } }
        #expect(woke)
    }

    /// Spawned while events are off, a task is named to the viewer by its first park or its end
    /// once they are on, not left a nameless "task"; it is counted once.
    @Test func aTaskSpawnedWithEventsOffIsNamedByItsFirstParkOrItsEndWithThemOn() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        rt.instrumentation = false
        let spawnedBefore = rt.counters.tasksSpawned
        let parker = rt.spawn(name: "quiet-parker") {
            try await rt.sleep(for: .milliseconds(300))
            try await rt.sleep(for: .milliseconds(300))
        }
        let finisher = rt.spawn(name: "quiet-finisher") { try await rt.sleep(for: .milliseconds(300)) }
        usleep(50_000)
        rt.instrumentation = true
        let (s, named) = o.waitFor { s in
            guard case .parked(.timer) = s.task(parker.id)?.state else { return false }
            return s.task(finisher.id)?.state == .completed
        }
        #expect(named, "\(s.tasks.map { ($0.id, $0.name, $0.state) })")
        #expect(s.task(parker.id)?.name == "quiet-parker")
        #expect(s.task(finisher.id)?.name == "quiet-finisher")
        #expect(rt.counters.tasksSpawned == spawnedBefore + 2)
        try rt.blockOn { try await parker.value }
    }

    /// An fd registered while events are off is in the fd table, owned by the task that waits on
    /// it, from its first park with them on.
    @Test func anFdRegisteredWithEventsOffIsAnnouncedByItsFirstParkWithThemOn() throws {
        let o = try RuntimeWatch()
        defer { o.runtime.shutdown() }
        let rt = o.runtime
        rt.instrumentation = false
        let (a, b) = try nonBlockingSocketPair()
        defer { close(b) }
        let stream = try TCPStream(runtime: rt, adopting: a)
        let reader = rt.spawn(name: "quiet-reader") {
            defer { stream.close() }
            _ = try await stream.read(maxBytes: 1)
            return try await stream.read(maxBytes: 1)
        }
        usleep(50_000)
        rt.instrumentation = true
        _ = [UInt8(1)].withUnsafeBytes { send(b, $0.baseAddress, 1, 0) }
        let (s, parked) = o.waitFor { s in s.task(reader.id)?.state == .parked(.io(fd: a, interest: .read)) }
        #expect(parked, "\(String(describing: s.task(reader.id)))")
        #expect(s.task(reader.id)?.name == "quiet-reader")
        #expect(s.fds.contains { $0.fd == a && $0.owner == reader.id })
        _ = [UInt8(2)].withUnsafeBytes { send(b, $0.baseAddress, 1, 0) }
        #expect(try rt.blockOn { try await reader.value } == [2])
    }

    @Test func eventsOffRecordsNothingButCountersRun() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2, instrumentation: false))
        defer { rt.shutdown() }
        _ = try rt.blockOn { for _ in 0..<100 { await rt.yieldNow() } }
        #expect(rt.telemetry.rings.allSatisfy { $0.count == 0 })
        #expect(rt.telemetry.readCounters().workers.reduce(0) { $0 + $1.runs } >= 100)
    }
}
