// Facts about TCPListener on a real runtime: several tasks may wait in accept (a connection goes
// to one, close wakes the rest with EBADF), and a cancelled accept takes no connection. Clients are
// plain blocking loopback sockets from the test thread.

import Glibc
import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct TCPListenerTests {
    let runtime: Runtime
    let listener: TCPListener

    init() throws {
        runtime = try Runtime(RuntimeConfiguration(workers: 1))
        listener = try TCPListener(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: 0))
    }

    enum AcceptOutcome: Equatable, Sendable {
        case connection
        case failed(Int32)
        case cancelled
    }

    var acceptors: Int { listener.registration.state.withLock { $0.read.waiters.count } }

    @discardableResult
    func startAccepting(_ outcomes: Outcomes<AcceptOutcome>) -> JoinHandle<Void> {
        runtime.spawn(name: "acceptor") { [listener] in
            do {
                let stream = try await listener.accept()
                stream.close()
                outcomes.append(.connection)
            } catch let error as SystemError {
                outcomes.append(.failed(error.errno))
            } catch {
                outcomes.append(error is CancellationError ? .cancelled : .failed(-1))
            }
        }
    }

    @Test func twoAcceptorsBothReturnAConnectionAndTheCloseError() throws {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<AcceptOutcome>()
        startAccepting(outcomes)
        startAccepting(outcomes)
        #expect(eventually { acceptors == 2 })
        let client = try #require(connectLoopback(port: listener.address.port))
        defer { close(client) }
        #expect(eventually { outcomes.count == 1 })
        // The other acceptor met EAGAIN and parked again.
        #expect(eventually { acceptors == 1 })
        listener.close()
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.connection, .failed(EBADF)])
    }

    @Test func closeWakesEveryParkedAcceptor() {
        defer { runtime.shutdown() }
        let outcomes = Outcomes<AcceptOutcome>()
        for _ in 0..<3 { startAccepting(outcomes) }
        #expect(eventually { acceptors == 3 })
        listener.close()
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all == Array(repeating: .failed(EBADF), count: 3))
    }

    @Test func aCancelledAcceptorThrowsCancellationAndTheListenerStillAccepts() throws {
        defer { runtime.shutdown() }
        defer { listener.close() }
        let outcomes = Outcomes<AcceptOutcome>()
        let cancelled = startAccepting(outcomes)
        #expect(eventually { acceptors == 1 })
        cancelled.cancel()
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [.cancelled])
        #expect(acceptors == 0)

        startAccepting(outcomes)
        #expect(eventually { acceptors == 1 })
        let client = try #require(connectLoopback(port: listener.address.port))
        defer { close(client) }
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.last == .connection)
    }
}
