// SyntheticClientsTests: background clients grow, shrink and stop while they run, and keep verifying.

import Glibc
import RunvizTestSupport
import Testing

@testable import RunvizLoad

@Suite struct SyntheticClientsTests {
    @Test func addRemoveAndStopWhileRunning() throws {
        let server = TestEchoServer()
        let clients = try SyntheticClients(port: server.port, clients: 3, rate: 50)
        #expect(clients.count == 3)
        #expect(eventually { clients.stats.connected == 3 && clients.stats.roundTrips >= 10 })
        #expect(clients.add(5) == 8)
        #expect(eventually { clients.stats.connected == 8 })
        #expect(clients.remove(6) == 2)
        #expect(eventually { clients.stats.connected == 2 })
        let before = clients.stats.roundTrips
        #expect(eventually { clients.stats.roundTrips > before + 5 })
        clients.stop()
        let stats = clients.stats
        #expect(stats.connected == 0)
        #expect(stats.errors.total == 0, "\(stats.errors.description)")
        #expect(stats.latency.count > 0)
        clients.stop()
    }

    @Test func clientsReconnectAfterTheServerComesBack() throws {
        let closed = ClosedPort()
        let clients = try SyntheticClients(port: closed.port, clients: 2, rate: 10)
        #expect(eventually { clients.stats.errors.connectRefused >= 2 })
        #expect(clients.stats.connected == 0)
        clients.stop()
    }

    @Test func addNeverExceedsTheMaximum() throws {
        let server = TestEchoServer()
        let clients = try SyntheticClients(port: server.port)
        #expect(clients.add(-3) == 0)
        #expect(clients.remove(4) == 0)
        clients.stop()
        #expect(SyntheticClients.defaultRate > 0 && SyntheticClients.defaultRate <= 10)
    }
}
