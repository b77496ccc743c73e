// ClosedPort: a loopback port that is bound but not listening, held for the life of the value, so a
// connect to it is refused and no other test can take the port meanwhile.

import Glibc

/// A bound, non-listening loopback port.
final class ClosedPort {
    let port: Int
    private let fd: Int32

    init() {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = TestEchoServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(bound == 0, "bind failed")
        fd = socketFD
        port = TestEchoServer.localPort(of: socketFD)
    }

    deinit {
        close(fd)
    }
}
