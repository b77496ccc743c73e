// The runtime under churn, bounded in count and time: many tasks sleeping, yielding and being
// cancelled; channel producers and consumers with a close midway; readers and acceptors cancelled
// while data and connections arrive; streams closed while a reader and a writer are parked on them
// and their fd numbers reused at once; blocking-pool bursts on a tiny pool with a short keep-alive;
// and shutdown from every place it can be called while tasks run. Each test runs a fixed number of
// iterations and ends on facts: every task counted as finished or cancelled, every byte and value
// accounted for on the connection or channel it belongs to, no worker or pool thread left. Every
// wait has a deadline (blocking steps run on a helper thread), so a hang fails instead of stalling.

import Foundation
import Glibc
import RunvizLock
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizRuntime

@Suite struct StressTests {
    // MARK: tasks

    @Test func manyTasksSleepingYieldingAndCancelledAllEndAndAreCounted() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let tally = Tally()
        let count = 300
        var handles: [JoinHandle<Void>] = []
        for i in 0..<count {
            handles.append(
                runtime.spawn(name: "sleeper") {
                    do {
                        // Every third task sleeps until cancelled; the rest take short sleeps and yields.
                        if i % 3 == 0 { try await runtime.sleep(for: .seconds(3600)) }
                        for step in 0..<4 {
                            try await runtime.sleep(for: .microseconds((i * 7 + step * 131) % 700))
                            await runtime.yieldNow()
                        }
                        tally.add("finished")
                    } catch is CancellationError {
                        tally.add("cancelled")
                    } catch {
                        tally.add("other")
                    }
                })
        }
        // Cancel the long sleepers, and some short ones mid-flight (those may finish first).
        for (i, h) in handles.enumerated() where i % 3 == 0 || i % 7 == 0 { h.cancel() }
        let racing = (0..<count).filter { $0 % 3 != 0 && $0 % 7 == 0 }.count
        let longSleepers = (0..<count).filter { $0 % 3 == 0 }.count

        #expect(eventually { tally.total == count }, "\(count - tally.total) tasks never ended")
        #expect(eventually { handles.allSatisfy(\.isFinished) })
        #expect(tally["other"] == 0)
        #expect(tally["cancelled"] >= longSleepers && tally["cancelled"] <= longSleepers + racing)
        #expect(tally["finished"] + tally["cancelled"] == count)
        #expect(Stress.shutDown(runtime))
        #expect(eventually { Stress.noThreadLeft(runtime) })
    }

    // MARK: channel

    @Test func producersAndConsumersWithACloseMidwayConserveEveryValue() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 4)
        let sent = Lock<[Int]>([])
        let received = Lock<[Int]>([])
        let receivedCount = Atomic<Int>(0)
        let tally = Tally()
        let producers = 4
        let perProducer = 500
        let consumers = 3
        let closeAt = producers * perProducer / 2
        for p in 0..<producers {
            runtime.spawn(name: "producer") {
                for k in 0..<perProducer {
                    let v = p * perProducer + k
                    do {
                        try await channel.send(v)
                        sent.withLock { $0.append(v) }
                    } catch is ChannelClosed {
                        tally.add("producer closed")
                        return
                    } catch {
                        tally.add("producer other")
                        return
                    }
                    if k % 16 == 0 { await runtime.yieldNow() }
                }
                tally.add("producer done")
            }
        }
        for _ in 0..<consumers {
            runtime.spawn(name: "consumer") {
                while true {
                    do {
                        guard let v = try await channel.receive() else {
                            tally.add("consumer end")
                            return
                        }
                        received.withLock { $0.append(v) }
                        if receivedCount.add(1, ordering: .relaxed).newValue == closeAt { channel.close() }
                    } catch {
                        tally.add("consumer other")
                        return
                    }
                }
            }
        }
        #expect(eventually { tally["producer done"] + tally["producer closed"] == producers })
        #expect(eventually { tally["consumer end"] == consumers })
        #expect(tally["producer other"] == 0 && tally["consumer other"] == 0)
        #expect(tally["producer closed"] >= 1, "the close came after every value was sent")
        let s = sent.withLock { $0 }
        let r = received.withLock { $0 }
        // Every value a send reported delivered was received exactly once, and nothing else was.
        #expect(r.count >= closeAt)
        #expect(Set(r).count == r.count, "a value was received twice")
        #expect(s.sorted() == r.sorted())
        #expect(channel.count == 0 && channel.parkedSenders == 0 && channel.parkedReceivers == 0)
        #expect(Stress.shutDown(runtime))
        #expect(eventually { Stress.noThreadLeft(runtime) })
    }

    // MARK: cancelled readers and acceptors

    @Test func readersCancelledWhileDataArrivesLoseAndDuplicateNoByte() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        // The test's writer blocks on its end; the stream's end stays non-blocking.
        _ = fcntl(peer, F_SETFL, 0)
        let stream = try TCPStream(runtime: runtime, adopting: a)
        let pattern = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let writerDone = Atomic<Bool>(false)
        let writer = Thread {
            var offset = 0
            while offset < pattern.count {
                let n = min(67, pattern.count - offset)
                let wrote = pattern[offset..<offset + n].withUnsafeBytes { write(peer, $0.baseAddress, n) }
                if wrote <= 0 { break }
                offset += wrote
                usleep(50)  // pacing, so readers park and are cancelled with data in flight
            }
            writerDone.store(true, ordering: .releasing)
        }
        writer.start()

        let got = Lock<[UInt8]>([])
        let tally = Tally()
        func startReader() -> JoinHandle<Void> {
            runtime.spawn(name: "reader") {
                while true {
                    let bytes: [UInt8]?
                    do {
                        bytes = try await stream.read(maxBytes: 97)
                    } catch is CancellationError {
                        tally.add("cancelled")
                        return
                    } catch {
                        tally.add("failed")
                        return
                    }
                    guard let bytes else {
                        tally.add("end")
                        return
                    }
                    got.withLock { $0 += bytes }
                }
            }
        }
        // One reader at a time, so the bytes they collect stay in order.
        var rounds = 0
        while rounds < 200, !writerDone.load(ordering: .acquiring) {
            let before = got.withLock { $0.count }
            let reader = startReader()
            _ = eventually(0.2) { got.withLock { $0.count } > before }
            reader.cancel()
            try #require(eventually { reader.isFinished }, "a cancelled reader never ended")
            rounds += 1
        }
        #expect(eventually { writerDone.load(ordering: .acquiring) })
        close(peer)
        let last = startReader()
        #expect(eventually { last.isFinished })
        #expect(tally["failed"] == 0)
        #expect(tally["end"] == 1)
        #expect(tally["cancelled"] == rounds)
        #expect(got.withLock { $0 } == pattern, "bytes lost, duplicated or reordered across cancelled reads")
        stream.close()
        #expect(Stress.shutDown(runtime))
    }

    @Test func acceptorsCancelledWhileConnectionsArriveTakeEachConnectionOnce() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let listener = try TCPListener(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: 0))
        let port = listener.address.port
        let connections = 60
        let clientFDs = Lock<[Int32]>([])
        let clientDone = Atomic<Bool>(false)
        Thread {
            for i in 0..<connections {
                guard let fd = connectLoopback(port: port, configure: { setTimeouts($0) }) else { break }
                var id = UInt32(i).bigEndian
                _ = write(fd, &id, 4)
                clientFDs.withLock { $0.append(fd) }
                usleep(200)  // pacing, so acceptors are cancelled with connections arriving
            }
            clientDone.store(true, ordering: .releasing)
        }.start()

        let accepted = Lock<[TCPStream]>([])
        let tally = Tally()
        func startAcceptor() -> JoinHandle<Void> {
            runtime.spawn(name: "acceptor") {
                while true {
                    do {
                        // No suspension between accept returning and the stream being kept: a cancel
                        // can only hit the wait, which takes no connection.
                        let s = try await listener.accept()
                        accepted.withLock { $0.append(s) }
                    } catch is CancellationError {
                        tally.add("cancelled")
                        return
                    } catch {
                        tally.add("failed")
                        return
                    }
                }
            }
        }
        var rounds = 0
        while rounds < 300, !clientDone.load(ordering: .acquiring) {
            let before = accepted.withLock { $0.count }
            let acceptor = startAcceptor()
            _ = eventually(0.2) { accepted.withLock { $0.count } > before }
            acceptor.cancel()
            try #require(eventually { acceptor.isFinished }, "a cancelled acceptor never ended")
            rounds += 1
        }
        #expect(eventually { clientDone.load(ordering: .acquiring) })
        #expect(clientFDs.withLock { $0.count } == connections)
        let last = startAcceptor()
        #expect(eventually { accepted.withLock { $0.count } >= connections })
        last.cancel()
        #expect(eventually { last.isFinished })
        #expect(tally["failed"] == 0)
        #expect(tally["cancelled"] == rounds + 1)

        // Each accepted stream carries the id its client wrote: every id once.
        let streams = accepted.withLock { $0 }
        let ids = Stress.within(5) {
            try runtime.blockOn(name: "read-ids") {
                var ids: [UInt32] = []
                for s in streams {
                    var bytes: [UInt8] = []
                    while bytes.count < 4 {
                        guard let more = try await s.read(maxBytes: 4 - bytes.count) else { break }
                        bytes += more
                    }
                    ids.append(bytes.reduce(0) { $0 << 8 | UInt32($1) })
                }
                return ids
            }
        }
        let read = try #require(try ids?.get(), "reading the ids hung or failed")
        #expect(read.count == connections)
        #expect(Set(read) == Set((0..<connections).map(UInt32.init)))
        for s in streams { s.close() }
        for fd in clientFDs.withLock({ $0 }) { close(fd) }
        listener.close()
        #expect(Stress.shutDown(runtime))
    }

    // MARK: fds closed and reused while waits are in flight

    @Test func aStreamClosedUnderAParkedReaderAndWriterNeverTouchesTheSocketReusingItsNumber() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let big = [UInt8](repeating: 0xAA, count: 1 << 20)
        let payload = [UInt8](repeating: 0x55, count: 32)
        var reused = 0
        for _ in 0..<30 {
            let (a, pa) = try nonBlockingSocketPair()
            let stream = try TCPStream(runtime: runtime, adopting: a)
            let readOutcome = Outcomes<ReadOutcome>()
            let writeOutcome = Outcomes<Int32>()
            runtime.spawn(name: "reader") {
                readOutcome.append(await ReadOutcome.of { try await stream.read(maxBytes: 64) })
            }
            runtime.spawn(name: "writer") {
                do {
                    try await stream.writeAll(big)
                    writeOutcome.append(0)
                } catch let e as SystemError {
                    writeOutcome.append(e.errno)
                } catch {
                    writeOutcome.append(-1)
                }
            }
            try #require(
                eventually {
                    stream.registration.state.withLock { $0.read.waiters.count == 1 && $0.write.waiters.count == 1 }
                }, "reader and writer never both parked")
            let next = Lock<[Int32]>([])
            runtime.spawn(name: "closer") {
                // A readiness event in flight as the stream closes, then its number reused at once.
                var byte: UInt8 = 1
                _ = write(pa, &byte, 1)
                stream.close()
                guard let (x, y) = openSocketPair() else { return }
                _ = payload.withUnsafeBytes { write(y, $0.baseAddress, $0.count) }
                next.withLock { $0 = [x, y] }
            }
            try #require(
                eventually { readOutcome.count == 1 && writeOutcome.count == 1 && next.withLock { !$0.isEmpty } })
            let fds = next.withLock { $0 }
            if fds[0] == a { reused += 1 }
            // The reader saw the byte meant for it, or the close; never the new socket's payload.
            switch readOutcome.all[0] {
            case .bytes(let b): #expect(b.allSatisfy { $0 == 1 }, "the reader read another socket's bytes")
            case .failed(let e): #expect(e == EBADF)
            default: Issue.record("reader ended with \(readOutcome.all[0])")
            }
            #expect(writeOutcome.all[0] == EBADF, "the writer ended with errno \(writeOutcome.all[0])")
            // The new socket holds exactly its own payload, and its peer got nothing of the old writer.
            var buf = [UInt8](repeating: 0, count: 128)
            let n = buf.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            #expect(n == payload.count && Array(buf[0..<max(n, 0)]) == payload)
            let leaked = buf.withUnsafeMutableBytes { read(fds[1], $0.baseAddress, $0.count) }
            #expect(leaked < 0 && errno == EAGAIN, "the old writer wrote into the socket that reused its number")
            close(fds[0])
            close(fds[1])
            close(pa)
        }
        // Reuse is what makes this test bite; tests running beside it may take the number first.
        #expect(reused > 0, "no round reused the closed fd number")
        #expect(Stress.shutDown(runtime))
    }

    // MARK: blocking pool

    @Test func blockingBurstsOnATinyPoolWithAShortKeepAliveAllComplete() throws {
        let runtime = try Runtime(
            RuntimeConfiguration(workers: 2, maxBlockingThreads: 2, blockingKeepAlive: .milliseconds(1)))
        defer { runtime.shutdown() }
        let maxThreads = Atomic<Int>(0)
        let bursts = 12
        let perBurst = 16
        let outcome = Stress.within(10) {
            try runtime.blockOn(name: "bursts") {
                var correct = 0
                for burst in 0..<bursts {
                    let handles = (0..<perBurst).map { i in
                        runtime.spawn(name: "burst") {
                            try await runtime.spawnBlocking {
                                maxThreads.max(runtime.blockingPool.threads, ordering: .relaxed)
                                return burst * 1000 + i
                            }
                        }
                    }
                    for (i, h) in handles.enumerated() where try await h.value == burst * 1000 + i { correct += 1 }
                    // Long enough for the idle threads' keep-alive to end, so the next burst starts new ones.
                    try await runtime.sleep(for: .milliseconds(3))
                }
                return correct
            }
        }
        let correct = try #require(try outcome?.get(), "the bursts hung or failed")
        #expect(correct == bursts * perBurst)
        #expect(maxThreads.load(ordering: .relaxed) <= 2)
        #expect(eventually { runtime.blockingPool.threads == 0 }, "idle pool threads outlived their keep-alive")
        #expect(Stress.shutDown(runtime))
        #expect(eventually { Stress.noThreadLeft(runtime) })
    }

    // MARK: shutdown

    enum Place: String, CaseIterable, Sendable {
        case task, blockOnBody, blockingJob, otherThread
    }

    @Test(arguments: Place.allCases)
    func shutdownWhileTasksRunAndBlockOnWaitsStopsEverything(from place: Place) throws {
        for _ in 0..<5 {
            let runtime = try Runtime(
                RuntimeConfiguration(workers: 2, maxBlockingThreads: 2, blockingKeepAlive: .milliseconds(1)))
            let running = Atomic<Int>(0)
            for i in 0..<40 {
                runtime.spawn(name: "load") {
                    running.add(1, ordering: .relaxed)
                    var n = 0
                    while true {
                        try await runtime.sleep(for: .microseconds(50 + i * 10))
                        await runtime.yieldNow()
                        if n % 5 == 0 { _ = try await runtime.spawnBlocking { [n] in n } }
                        n += 1
                    }
                }
            }
            #expect(eventually { running.load(ordering: .relaxed) == 40 })
            let channel = try Channel<Int>(capacity: 1)
            let returned = Atomic<Bool>(false)
            let waiterResult = Lock<Result<Int?, Error>?>(nil)
            Thread {
                let r = Result {
                    try runtime.blockOn(name: "waiter") { () async throws -> Int? in
                        if place == .blockOnBody {
                            runtime.shutdown()
                            returned.store(true, ordering: .releasing)
                        }
                        return try await channel.receive()
                    }
                }
                waiterResult.withLock { $0 = r }
            }.start()
            if place != .blockOnBody { #expect(eventually { channel.parkedReceivers == 1 }) }
            switch place {
            case .task:
                runtime.spawn(name: "shutter") {
                    runtime.shutdown()
                    returned.store(true, ordering: .releasing)
                }
            case .blockingJob:
                runtime.spawn(name: "shutter") {
                    try await runtime.spawnBlocking {
                        runtime.shutdown()
                        returned.store(true, ordering: .releasing)
                    }
                }
            case .otherThread:
                Thread {
                    runtime.shutdown()
                    returned.store(true, ordering: .releasing)
                }.start()
            case .blockOnBody:
                break
            }
            try #require(eventually { returned.load(ordering: .acquiring) }, "shutdown from \(place) never returned")
            try #require(eventually { waiterResult.withLock { $0 != nil } }, "blockOn still waits after shutdown")
            let thrown = waiterResult.withLock { r -> RuntimeError? in
                guard case .failure(let e) = r else { return nil }
                return e as? RuntimeError
            }
            #expect(thrown == .shutDown)
            #expect(runtime.isShutDown)
            #expect(eventually { Stress.noThreadLeft(runtime) }, "threads left after shutdown from \(place)")
            #expect(runtime.spawn(name: "late") { 1 }.isFinished)
        }
    }
}
