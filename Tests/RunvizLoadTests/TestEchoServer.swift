// TestEchoServer: a deliberately plain TCP server for the load generator's tests — blocking sockets, one
// thread per connection, bound to 127.0.0.1 on a free port. Its behaviour can be correct (echo) or broken
// in one precise way, so each test knows exactly which error the generator must count.
//
// Every connection thread ends when its client closes, or after 10 s without data (SO_RCVTIMEO), so no
// test can leave a thread behind for long.

import Glibc
import RunvizSystem
import Synchronization

/// A blocking, thread-per-connection TCP server for tests.
final class TestEchoServer: Sendable {
    enum Behavior: Sendable {
        /// Echo every byte.
        case echo
        /// Echo, but flip the byte at every stream position p with p % every == at.
        case corrupt(every: Int, at: Int)
        /// Echo until more than `bytes` arrived on a connection, then close it with an RST.
        case resetAfter(bytes: Int)
        /// Read and never answer.
        case silent
    }

    let port: Int
    let behavior: Behavior
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    /// Connections accepted so far (the generator's start-up probe included).
    let accepted = Atomic<Int>(0)

    init(_ behavior: Behavior = .echo) {
        self.behavior = behavior
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket failed")
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = TestEchoServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(bound == 0 && listen(fd, 1_024) == 0, "bind/listen failed")
        listener = fd
        port = TestEchoServer.localPort(of: fd)
        TestEchoServer.spawn { [self] in acceptLoop() }
    }

    deinit {
        stop()
    }

    /// Stops accepting (connections already open run until their client closes).
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            accepted.add(1, ordering: .relaxed)
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let behavior = self.behavior
            TestEchoServer.spawn { TestEchoServer.serve(fd, behavior) }
        }
    }

    private static func serve(_ fd: Int32, _ behavior: Behavior) {
        let capacity = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var position = 0
        while true {
            let count = recv(fd, buffer, capacity, 0)
            if count <= 0 { break }
            switch behavior {
            case .echo:
                break
            case .corrupt(let every, let at):
                for index in 0..<count where (position + index) % every == at { buffer[index] ^= 0xFF }
            case .resetAfter(let bytes):
                if position + count > bytes {
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    close(fd)
                    return
                }
            case .silent:
                position += count
                continue
            }
            position += count
            var sent = 0
            while sent < count {
                let written = send(fd, buffer + sent, count - sent, Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                sent += written
            }
            if sent < count { break }
        }
        close(fd)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs `body` on a new detached OS thread.
    static func spawn(_ body: @escaping @Sendable () -> Void) {
        do { try OSThread.startDetached(name: nil, body) } catch { preconditionFailure("\(error)") }
    }
}
