// Facts about the blocking pool. Its bookkeeping (`BlockingPool.Book`) is driven step by step to
// replay interleavings exactly: a thread whose keep-alive ends as a submit wakes another idle
// thread must not stay listed as idle, or a later submit wakes a thread that has exited. Real pools
// then churn through bursts and short keep-alives, and through many thread lifetimes, which must
// leave neither a stalled job, nor a ring per lifetime, nor unjoined threads behind. A thread's ring
// is let go once the thread has exited and its events were drained, with its dropped count kept; the
// rings held at once are bounded by the pool's threads, each of `BlockingPool.ringCapacity` events.

import Foundation
import RunvizLock
import RunvizTelemetry
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizRuntime

@Suite struct BlockingPoolTests {
    /// Every idle slot is listed once and belongs to a live thread.
    func expectConsistent(_ book: BlockingPool.Book, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(book.idle).count == book.idle.count, "idle lists a slot twice", sourceLocation: sourceLocation)
        #expect(book.idle.count <= book.threads, "more idle slots than threads", sourceLocation: sourceLocation)
        #expect(
            book.idle.allSatisfy { book.occupied[$0] }, "an idle slot has no thread", sourceLocation: sourceLocation)
    }

    @Test func aThreadWhoseKeepAliveEndsAsWorkArrivesLeavesTheIdleList() {
        var book = BlockingPool.Book(maxThreads: 2)
        // Two threads run a job each and park: both idle.
        #expect(book.submit(task: 1) {} == .start(0))
        #expect(book.submit(task: 2) {} == .start(1))
        for slot in [0, 1] {
            guard case .run = book.next(slot: slot) else { Issue.record("slot \(slot) found no job"); return }
        }
        for slot in [0, 1] {
            guard case .park = book.next(slot: slot) else { Issue.record("slot \(slot) did not park"); return }
        }
        expectConsistent(book)
        // A submit wakes slot 1; slot 0's keep-alive ends at that moment, sees the job and takes it.
        #expect(book.submit(task: 3) {} == .wake(1))
        #expect(book.woke(slot: 0, expired: true) == .proceed)
        guard case .run = book.next(slot: 0) else { Issue.record("slot 0 did not take the job"); return }
        expectConsistent(book)
        // Slot 1 wakes to an empty queue and parks again; slot 0 finishes and parks.
        #expect(book.woke(slot: 1, expired: false) == .proceed)
        guard case .park = book.next(slot: 1) else { Issue.record("slot 1 did not park"); return }
        guard case .park = book.next(slot: 0) else { Issue.record("slot 0 did not park"); return }
        expectConsistent(book)
        // Both keep-alives end: both threads exit, and nothing idle is left behind.
        #expect(book.woke(slot: 0, expired: true) == .exit)
        #expect(book.woke(slot: 1, expired: true) == .exit)
        #expect(book.threads == 0)
        #expect(book.idle.isEmpty)
        // So the next job starts a thread instead of waking an exited one.
        guard case .start = book.submit(task: 4, {}) else {
            Issue.record("a job with no live thread did not start one")
            return
        }
    }

    @Test func aWakeBeforeTheKeepAliveEndsParksAgain() {
        var book = BlockingPool.Book(maxThreads: 1)
        #expect(book.submit(task: 1) {} == .start(0))
        guard case .run = book.next(slot: 0), case .park = book.next(slot: 0) else {
            Issue.record("the thread did not run and park")
            return
        }
        #expect(book.woke(slot: 0, expired: false) == .parkAgain)
        #expect(book.threads == 1)
        expectConsistent(book)
    }

    @Test func shutdownWakesTheIdleAndTheyExitOnceTheQueueIsDrained() {
        var book = BlockingPool.Book(maxThreads: 1)
        #expect(book.submit(task: 1) {} == .start(0))
        guard case .run = book.next(slot: 0), case .park = book.next(slot: 0) else {
            Issue.record("the thread did not run and park")
            return
        }
        #expect(book.beginShutdown() == [0])
        #expect(book.woke(slot: 0, expired: false) == .proceed)
        guard case .exit = book.next(slot: 0) else { Issue.record("the thread did not exit"); return }
        #expect(book.threads == 0)
    }

    /// A pool outside any runtime; `keepAliveNanos` short, so threads come and go.
    func makePool(maxThreads: Int, keepAliveNanos: Int64, ringCapacity: Int = 1 << 10) -> (BlockingPool, TelemetryHub) {
        let hub = TelemetryHub(workerCount: 1, ringCapacity: ringCapacity)
        return (BlockingPool(maxThreads: maxThreads, keepAliveNanos: keepAliveNanos, recorder: Recorder(hub: hub)), hub)
    }

    @Test func burstsWithAShortKeepAliveNeverStrandAJob() {
        let (pool, _) = makePool(maxThreads: 2, keepAliveNanos: 200_000)
        defer { pool.shutdown() }
        let done = Atomic<Int>(0)
        var submitted = 0
        for round in 0..<200 {
            for _ in 0...(round % 4) {
                pool.submit(task: 1) { done.add(1, ordering: .relaxed) }
                submitted += 1
            }
            let drained = eventually { done.load(ordering: .relaxed) == submitted }
            guard drained else {
                Issue.record("round \(round): \(submitted - done.load(ordering: .relaxed)) jobs stranded")
                return
            }
            if round.isMultiple(of: 3) {
                // Let the keep-alives run out, so the next burst meets exiting threads.
                _ = eventually { pool.threads == 0 }
            }
        }
        pool.submit(task: 1) { done.add(1, ordering: .relaxed) }
        #expect(eventually { done.load(ordering: .relaxed) == submitted + 1 })
        #expect(pool.threads <= 2)
    }

    /// VmRSS and VmSize of this process, in KiB.
    static func memory() -> (rss: Int, virtual: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS"), field("VmSize"))
    }

    @Test func manyThreadLifetimesReuseOneRingAndLeaveNoThreadUnjoined() {
        let (pool, hub) = makePool(maxThreads: 1, keepAliveNanos: 0, ringCapacity: 1 << 16)
        let ringsBefore = hub.rings.count
        let before = Self.memory()
        let done = Atomic<Int>(0)
        for lifetime in 1...300 {
            pool.submit(task: 1) { done.add(1, ordering: .relaxed) }
            let ended = eventually { done.load(ordering: .relaxed) == lifetime && pool.threads == 0 }
            guard ended else {
                Issue.record("lifetime \(lifetime) did not end")
                pool.shutdown()
                return
            }
        }
        let after = Self.memory()
        print(
            "300 blocking-thread lifetimes: RSS \(before.rss) → \(after.rss) KiB, "
                + "virtual \(before.virtual) → \(after.virtual) KiB")
        #expect(hub.rings.count - ringsBefore == 1, "one ring, lent to each thread in turn")
        #expect(pool.unjoinedThreads <= 1)
        pool.shutdown()
        #expect(pool.unjoinedThreads == 0)
    }

    /// Starts `count` jobs that hold their threads until `release` is signalled; returns once all run.
    func occupy(_ pool: BlockingPool, threads count: Int, until release: DispatchSemaphore) -> Bool {
        let running = Atomic<Int>(0)
        for _ in 0..<count {
            pool.submit(task: 1) {
                running.add(1, ordering: .relaxed)
                release.wait()
            }
        }
        return eventually { running.load(ordering: .relaxed) == count }
    }

    @Test func aThreadsRingIsLetGoOnceTheThreadExitedAndItsEventsWereDrained() {
        let (pool, hub) = makePool(maxThreads: 4, keepAliveNanos: 0, ringCapacity: 1 << 16)
        defer { pool.shutdown() }
        let ringsBefore = hub.rings.count
        let release = DispatchSemaphore(value: 0)
        guard occupy(pool, threads: 4, until: release) else {
            Issue.record("4 jobs did not run at once")
            for _ in 0..<4 { release.signal() }
            return
        }
        let ringBytes = BlockingPool.ringCapacity * MemoryLayout<RuntimeEvent>.stride
        #expect(hub.lentRings.count == 4)
        #expect(
            hub.lentRings.bytes == 4 * ringBytes, "pool rings are \(BlockingPool.ringCapacity) events, not the hub's")
        #expect(hub.rings.count == ringsBefore + 4)
        for _ in 0..<4 { release.signal() }
        #expect(eventually { pool.threads == 0 })
        // Exited, but their events are not drained yet: the rings stay for the reader.
        #expect(hub.lentRings.count == 4)
        var events = 0
        for ring in hub.rings { events += ring.drain { _ in } }
        #expect(events == 8, "each job's blockingStarted and blockingFinished")
        #expect(hub.rings.count == ringsBefore, "drained rings of exited threads are let go")
        #expect(hub.lentRings.count == 0 && hub.lentRings.bytes == 0)
    }

    @Test func aLetGoRingsDroppedEventsStayCounted() {
        let (pool, hub) = makePool(maxThreads: 1, keepAliveNanos: 0, ringCapacity: 2)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let done = Atomic<Int>(0)
        guard occupy(pool, threads: 1, until: release) else {
            Issue.record("the job did not run")
            release.signal()
            return
        }
        // Queued behind the first: the same thread runs both, four events into a ring of two.
        pool.submit(task: 2) { done.add(1, ordering: .relaxed) }
        release.signal()
        #expect(eventually { done.load(ordering: .relaxed) == 1 && pool.threads == 0 })
        #expect(hub.dropped == 2)
        for ring in hub.rings { ring.drain { _ in } }
        let ringsAfterTheDrain = hub.rings.count  // the reader's next look lets the drained ring go
        #expect(hub.lentRings.count == 0, "the exited thread's drained ring is let go (\(ringsAfterTheDrain) left)")
        #expect(hub.dropped == 2, "and what it dropped is still counted")
    }

    @Test func withoutAReaderReturnedRingsAreLentAgainSoTheyAreBoundedByTheThreads() {
        let (pool, hub) = makePool(maxThreads: 6, keepAliveNanos: 0, ringCapacity: 1 << 16)
        defer { pool.shutdown() }
        for round in 1...5 {
            let release = DispatchSemaphore(value: 0)
            let width = round.isMultiple(of: 2) ? 6 : 3
            guard occupy(pool, threads: width, until: release) else {
                Issue.record("round \(round): \(width) jobs did not run at once")
                for _ in 0..<width { release.signal() }
                return
            }
            for _ in 0..<width { release.signal() }
            guard eventually(5, { pool.threads == 0 }) else {
                Issue.record("round \(round): threads did not exit")
                return
            }
        }
        // Nobody drained: every ring still holds events, and no more were made than threads at once.
        #expect(hub.lentRings.count == 6)
        #expect(hub.lentRings.bytes == 6 * BlockingPool.ringCapacity * MemoryLayout<RuntimeEvent>.stride)
    }

    @Test func aJobThatShutsThePoolDownDoesNotWaitForItself() {
        let (pool, _) = makePool(maxThreads: 2, keepAliveNanos: 1_000_000_000)
        let done = Atomic<Bool>(false)
        pool.submit(task: 1) {
            pool.shutdown()
            done.store(true, ordering: .relaxed)
        }
        #expect(eventually { done.load(ordering: .relaxed) })
    }

    @Test func withInstrumentationOffAPoolThreadMakesNoRing() {
        let hub = TelemetryHub(workerCount: 1, ringCapacity: 1 << 10, enabled: false)
        let pool = BlockingPool(maxThreads: 1, keepAliveNanos: 0, recorder: Recorder(hub: hub))
        defer { pool.shutdown() }
        let ringsBefore = hub.rings.count
        let done = Atomic<Bool>(false)
        pool.submit(task: 1) { done.store(true, ordering: .relaxed) }
        #expect(eventually { done.load(ordering: .relaxed) })
        #expect(hub.rings.count == ringsBefore)
    }

    /// Shutdown asks this from a job: a thread must know it is the pool's from its first job on,
    /// even before the thread that started it has recorded its handle.
    @Test func aJobKnowsItRunsOnAPoolThreadFromTheFirstJobOfEveryThread() throws {
        let (pool, _) = makePool(maxThreads: 1, keepAliveNanos: 0)
        defer { pool.shutdown() }
        let answers = Lock<[Bool]>([])
        for _ in 0..<50 {
            let done = DispatchSemaphore(value: 0)
            pool.submit(task: 0) {
                let inPool = pool.runsOnPoolThread
                answers.withLock { $0.append(inPool) }
                done.signal()
            }
            try #require(done.wait(timeout: .now() + 5) == .success)
            #expect(eventually { pool.threads == 0 }, "the thread outlived a zero keep-alive")
        }
        #expect(answers.withLock { $0 } == Array(repeating: true, count: 50))
        #expect(!pool.runsOnPoolThread)
    }
}
