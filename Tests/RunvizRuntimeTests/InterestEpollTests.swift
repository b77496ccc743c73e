// Facts about the conversion between epoll event masks and Interest: which bits mean which
// readiness, and which bits a registration asks for.

import RunvizSystem
import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct InterestEpollTests {
    static let masks: [(UInt32, Interest)] = [
        (Epoll.EPOLLIN, [.read]),
        (Epoll.EPOLLOUT, [.write]),
        (Epoll.EPOLLIN | Epoll.EPOLLOUT, [.read, .write]),
        (Epoll.EPOLLERR, [.hangup]),
        (Epoll.EPOLLHUP | Epoll.EPOLLOUT, [.write, .hangup]),
        (Epoll.EPOLLRDHUP | Epoll.EPOLLIN, [.read, .hangup]),
        (Epoll.EPOLLET, []),
        (0, []),
    ]

    @Test(arguments: masks)
    func aMaskReadsAsReadiness(mask: UInt32, readiness: Interest) {
        #expect(Interest(epollEvents: mask) == readiness)
    }

    @Test func readAndWriteInterestAsksForInOutAndReadHangup() {
        #expect(Interest([.read, .write]).epollEvents == Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP)
        #expect(Interest.write.epollEvents == Epoll.EPOLLOUT)
    }
}
