// Facts about EchoServer, in task mode and in thread mode, on port 0: bytes come back exactly and
// the totals count them; 100 concurrent verified clients (RunvizLoad) see zero errors and the exact
// round-trip count, one task or one thread each while connected; a client reset mid-stream and a
// half-close (everything echoed, then EOF) end their connection without leaking a task, a reactor
// registration or an fd; EMFILE on accept backs off 100 + 200 + 400 ms and service resumes; a client
// that sends 8 MiB without reading parks the connection on write interest while the server holds at
// most 64 KiB, and gets every byte back once it reads; stop() closes only the listener; a mode
// change applies to later connections; a burst of pending connections is accepted in runs of 64, the
// accept loop yielding its worker between them.

import Foundation
import Glibc
import RunvizEcho
import RunvizLoad
import RunvizObservation
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizRuntime

extension EchoTests {
    @Suite struct EchoServerTests {
        static let modes: [ServerMode] = [.tasks, .threads]

        @Test(arguments: modes)
        func roundTripOnPortZero(_ mode: ServerMode) throws {
            let s = try Served(mode)
            defer { s.shutdown() }
            #expect(s.port != 0)
            #expect(s.runtime.registeredFDs == 1, "the listener")

            let client = try Client(port: s.port)
            let hello = Array("hello, runviz".utf8)
            #expect(client.echo(hello) == hello)
            let chunk = pattern(60_000)
            #expect(same(client.echo(chunk), chunk))

            let stats = s.server.stats
            #expect(stats.acceptedCount == 1)
            #expect(stats.openConnections == 1)
            #expect(stats.openTaskCount == (mode == .tasks ? 1 : 0))
            #expect(stats.openThreadCount == (mode == .threads ? 1 : 0))
            // Thread mode: the connection's fd is the thread's, not the reactor's.
            #expect(s.runtime.registeredFDs == (mode == .tasks ? 2 : 1))
            #expect(heldSockets(localPort: s.port).count == 2, "the listener and the one connection")
            if mode == .threads { #expect(threads(named: "echo-thread") >= 1) }

            client.close()
            s.expectNoLeak()
            #expect(stats.bytesEchoed == UInt64(hello.count + chunk.count))
            #expect(stats.echoCount >= 2)
            #expect(stats.connectionErrorCount == 0)
            if mode == .threads { #expect(eventually { threads(named: "echo-thread") == 0 }) }
        }

        @Test(arguments: modes)
        func aHundredConcurrentVerifiedClients(_ mode: ServerMode) throws {
            let s = try Served(mode)
            defer { s.shutdown() }
            let stats = s.server.stats
            // 20 messages per client at 20 per second: every client stays connected about a second.
            // (`duration` is only a time limit when a count is given.)
            let options = LoadOptions(
                host: "127.0.0.1", port: Int(s.port), clients: 100, size: 64, rate: 20, duration: 5, count: 20,
                threads: 2, timeout: 3)
            let load = Background { try LoadGenerator(options).run() }
            var peakTasks = 0
            var peakThreads = 0
            while !load.isDone {
                peakTasks = max(peakTasks, stats.openTaskCount)
                peakThreads = max(peakThreads, stats.openThreadCount)
                usleep(1_000)
            }
            let report = try load.value()
            #expect(report.errors.total == 0, "\(report.summary)")
            #expect(report.roundTrips == 100 * 20)
            #expect(report.expectedRoundTrips == 100 * 20)
            #expect(report.connectedClients == 100)
            #expect(report.bytesSent == 100 * 20 * 64 && report.bytesReceived == report.bytesSent)
            #expect(stats.acceptedCount == 100 + 1, "the clients and the generator's probe")
            if mode == .threads {
                #expect(peakThreads == 100, "one thread per connected client")
                #expect(peakTasks == 0)
            } else {
                #expect(peakTasks == 100, "one task per connected client")
                #expect(peakThreads == 0)
            }

            s.expectNoLeak()
            #expect(stats.bytesEchoed == 100 * 20 * 64)
            #expect(stats.connectionErrorCount == 0)
            if mode == .threads { #expect(eventually { threads(named: "echo-thread") == 0 }) }
        }

        @Test(arguments: modes)
        func aResetMidStreamEndsOnlyThatConnection(_ mode: ServerMode) throws {
            let s = try Served(mode)
            defer { s.shutdown() }
            // A small receive buffer and no reading: the server soon has echoes it cannot deliver.
            let client = try Client(port: s.port, receiveBuffer: 4_096)
            let sent = client.sendWithoutWaiting(pattern(512 * 1024))
            #expect(sent > 0)
            #expect(client.becomesReadable(within: 2_000), "the server is echoing: mid-stream")
            #expect(s.server.stats.openConnections == 1)
            client.reset()

            s.expectNoLeak()
            #expect(s.server.stats.connectionErrorCount <= 1)
            // The server itself is fine.
            let next = try Client(port: s.port)
            let message = Array("still serving".utf8)
            #expect(next.echo(message) == message)
            next.close()
            s.expectNoLeak()
            if mode == .threads { #expect(eventually { threads(named: "echo-thread") == 0 }) }
        }

        @Test(arguments: modes)
        func aHalfCloseGetsEverythingEchoedThenEOF(_ mode: ServerMode) throws {
            let s = try Served(mode)
            defer { s.shutdown() }
            let payload = pattern(256 * 1024)
            let client = try Client(port: s.port)
            let writer = Background { () -> Int in
                let sent = client.send(payload)
                client.shutdownWrite()
                return sent
            }
            let (echoed, eof) = client.readToEnd()
            #expect(try writer.value() == payload.count)
            #expect(eof, "the server closed its side after the last byte")
            #expect(echoed.count == payload.count)
            #expect(same(echoed, payload))
            // The server let go of the connection while the client still holds its own end.
            s.expectNoLeak()
            #expect(s.server.stats.connectionErrorCount == 0)
            client.close()
            if mode == .threads { #expect(eventually { threads(named: "echo-thread") == 0 }) }
        }

        @Test(arguments: modes)
        func emfileOnAcceptIsSurvived(_ mode: ServerMode) throws {
            let s = try Served(mode)
            defer { s.shutdown() }
            let start = Date()
            s.server.listener.injectAcceptFailures(errno: EMFILE, count: 3)
            let first = try Client(port: s.port)
            let message = Array("after EMFILE".utf8)
            #expect(first.echo(message) == message)
            let waited = Date().timeIntervalSince(start)
            #expect(s.server.stats.acceptBackoffCount == 3)
            #expect(waited >= 0.65, "backed off 100 + 200 + 400 ms, waited \(waited) s")
            #expect(waited < 3)
            #expect(!s.server.listener.isClosed)

            let later = Date()
            let second = try Client(port: s.port)
            #expect(second.echo(message) == message)
            #expect(Date().timeIntervalSince(later) < 0.5, "no backoff once accept works again")
            #expect(s.server.stats.acceptBackoffCount == 3)
            #expect(s.server.stats.acceptedCount == 2)
            first.close()
            second.close()
            s.expectNoLeak()
        }

        /// The payload must exceed every buffer between the two: on loopback the kernel grows the
        /// server's send buffer to tcp_wmem's 4 MiB and its receive buffer up to tcp_rmem's maximum
        /// (32 MiB on this machine), so 8 MiB sometimes fit and the server never had to wait. 64 MiB
        /// exceeds them all.
        @Test func aClientThatDoesNotReadParksTheConnectionOnWriteInterest() throws {
            let s = try Served(.tasks)
            defer { s.shutdown() }
            let client = try Client(port: s.port, receiveBuffer: 16_384, sendBuffer: 16_384)
            let payload = pattern(64 << 20)
            let progress = Atomic<Int>(0)
            let writer = Background { client.send(payload) { progress.store($0, ordering: .relaxed) } }

            func parkedOnWrite(_ t: TaskSnapshot) -> Bool {
                if case .parked(.io(_, .write)) = t.state { return t.name == "echo-conn" }
                return false
            }
            let (snap, parked) = s.waitFor { $0.tasks.contains(where: parkedOnWrite) }
            #expect(parked, "echo-conn states: \(snap.tasks.filter { $0.name == "echo-conn" }.map(\.state))")
            let conn = try #require(snap.tasks.first(where: parkedOnWrite))
            guard case .parked(.io(let fd, _)) = conn.state else { return }
            #expect(snap.fds.contains { $0.fd == fd && $0.owner == conn.id && $0.interest.contains(.write) })

            // The server stops reading: the client's sending comes to a halt before the payload ends.
            // It creeps on by 128 KiB steps for a while as the kernel compacts the queues (~4-6 MiB
            // in all, over up to a few seconds when the box is busy), so the wait is generous.
            var sent = progress.load(ordering: .relaxed)
            let halted = eventually(15) {
                let before = sent
                usleep(100_000)
                sent = progress.load(ordering: .relaxed)
                return sent == before
            }
            #expect(halted, "the client kept sending: the server kept reading")
            #expect(sent < payload.count)
            #expect(!writer.isDone)
            #expect(s.snapshot().task(conn.id)?.state == conn.state, "still parked on write")
            // Every byte sent is in one of the four kernel queues, except what the server holds: ≤ 64 KiB.
            let rows = tcpRows()
            let clientRow = try #require(rows.first { $0.localPort == client.localPort && $0.remotePort == s.port })
            let serverRow = try #require(rows.first { $0.localPort == s.port && $0.remotePort == client.localPort })
            let queued = clientRow.sendQueue + clientRow.receiveQueue + serverRow.sendQueue + serverRow.receiveQueue
            #expect(sent - queued <= 65_536, "server holds \(sent - queued) bytes; queues \(clientRow) \(serverRow)")
            #expect(serverRow.receiveQueue > 0, "bytes wait unread by the server")

            // Once the client reads, every byte comes back, in order.
            let echoed = client.read(payload.count)
            #expect(try writer.value() == payload.count)
            #expect(echoed.count == payload.count)
            #expect(same(echoed, payload))
            let (after, woke) = s.waitFor { s in
                s.wakeups.contains { $0.task == conn.id && $0.source == .io && $0.sourceArgument == UInt64(fd) }
            }
            #expect(woke, "wakeups: \(after.wakeups.map { ($0.task, $0.source, $0.sourceArgument) })")
            client.close()
            s.expectNoLeak()
        }

        @Test func stopClosesTheListenerAndLeavesOpenConnectionsServing() throws {
            let s = try Served(.tasks)
            defer { s.shutdown() }
            let client = try Client(port: s.port)
            let message = Array("before stop".utf8)
            #expect(client.echo(message) == message)
            s.server.stop()
            #expect(s.server.listener.isClosed)
            #expect(eventually { s.runtime.registeredFDs == 1 }, "only the open connection stays registered")
            #expect(throws: ClientError.self) { try Client(port: s.port) }
            let after = Array("after stop".utf8)
            #expect(client.echo(after) == after)
            client.close()
            #expect(eventually { s.server.stats.openConnections == 0 && s.runtime.registeredFDs == 0 })
            #expect(eventually { heldSockets(localPort: s.port).isEmpty })
        }

        @Test func aBurstOfPendingConnectionsIsAcceptedInRunsOf64() throws {
            // One worker: no other worker can run the yield's continuation before the loop has suspended
            // (which would let the loop go on without yielding).
            let s = try Served(.tasks, workers: 1, start: false)
            defer { s.shutdown() }
            // 200 connections wait in the listen backlog before the accept loop first runs.
            var fds: [Int32] = []
            defer {
                for fd in fds { close(fd) }
                s.expectNoLeak()
            }
            for _ in 0..<200 { fds.append(try #require(connectLoopback(port: s.port))) }
            s.server.start()
            #expect(eventually { s.server.stats.acceptedCount == 200 })
            // One run per 64 accepts, and the run that parks: the loop yielded three times, then waits
            // for the next connection (the snapshot may first catch it mid-run: wait for both).
            let waiting = TaskSnapshot.State.parked(.io(fd: s.server.listener.fd, interest: .read))
            let (snapshot, settled) = s.waitFor { snap in
                snap.tasks.first { $0.name == "accept-loop" }.map { $0.polls >= 4 && $0.state == waiting } ?? false
            }
            let loop = snapshot.tasks.first { $0.name == "accept-loop" }
            #expect(settled, "accept-loop polls: \(loop.map { "\($0.polls) \($0.state)" } ?? "none")")
        }

        @Test func aModeChangeAppliesToConnectionsAcceptedAfterwards() throws {
            let s = try Served(.tasks)
            defer { s.shutdown() }
            let message = Array("mode".utf8)
            let first = try Client(port: s.port)
            #expect(first.echo(message) == message)
            s.server.mode = .threads
            let second = try Client(port: s.port)
            #expect(second.echo(message) == message)
            #expect(first.echo(message) == message, "the first connection is still served by its task")
            #expect(s.server.stats.openTaskCount == 1)
            #expect(s.server.stats.openThreadCount == 1)
            first.close()
            second.close()
            s.expectNoLeak()
        }
    }
}
