// A listening TCP socket on the runtime's reactor: bind, then `accept()` parks the calling task on
// the listener's fd (read interest) until a connection is pending. Accepted sockets are
// non-blocking, close-on-exec, with TCP_NODELAY, and registered with the reactor. EMFILE/ENFILE
// surface as `SystemError.isOutOfFileDescriptors`: the listener stays open and the caller decides
// how to back off. Tests can inject accept failures to exercise that path.
//
// Any number of tasks may wait in `accept`: a pending connection wakes them all, one takes it and
// the others park again. After `close()` no accept touches the fd: each waiter, present or later,
// throws EBADF. A cancelled accept throws CancellationError and takes no connection.

import Glibc
import RunvizLock
import RunvizSystem

/// A listening TCP socket registered with the runtime's reactor: `accept` parks the task, not
/// the worker, until a connection arrives.
public final class TCPListener: Sendable {
    /// The listening socket's descriptor (for the dashboard; the listener owns it).
    public let fd: Int32
    /// The address bound (with the port the kernel chose when 0 was asked for).
    public let address: SocketAddress
    let runtime: Runtime
    let registration: Registration
    private let injected = Lock<(errno: Int32, count: Int)>((0, 0))

    /// Binds and listens on `address` (port 0 picks a free port; `address.port` then holds it).
    public init(runtime: Runtime, address: SocketAddress, backlog: Int32 = 1024) throws {
        let fd = try Posix.listen(on: address.posixAddress(), backlog: backlog)
        do {
            self.address = SocketAddress(host: address.host, port: try Posix.localAddress(fd).port)
            self.registration = try runtime.scheduler.driver.register(fd: fd)
        } catch {
            try? Posix.close(fd)
            throw error
        }
        self.fd = fd
        self.runtime = runtime
    }

    /// Waits for and returns the next connection. Closed: throws EBADF. Cancelled while waiting:
    /// throws CancellationError; no connection is taken (it stays queued for another accept).
    public func accept() async throws -> TCPStream {
        let cfd = try await acceptDescriptor()
        do {
            return try TCPStream(runtime: runtime, adopting: cfd)
        } catch {
            try? Posix.close(cfd)
            throw error
        }
    }

    /// Waits for the next connection and returns its raw fd (non-blocking, TCP_NODELAY), not registered
    /// with the reactor: for a connection served by its own OS thread. Closed and cancelled as `accept()`.
    public func acceptDescriptor() async throws -> Int32 {
        let cfd = try await registration.io(.read, "accept", recorder: runtime.recorder) { fd throws(SystemError) in
            let fault = takeInjectedFault()
            if fault != 0 { throw SystemError("accept4", errno: fault) }
            return try Posix.accept(fd)
        }
        // A latency option: the connection works without it, so its failure fails no accept.
        try? Posix.setNoDelay(cfd)
        return cfd
    }

    /// The errno the next accept is to fail with, 0 for none.
    private func takeInjectedFault() -> Int32 {
        injected.withLock { s -> Int32 in
            guard s.count > 0 else { return 0 }
            s.count -= 1
            return s.errno
        }
    }

    /// Makes the next `count` accepts fail with `errno` (EMFILE, ENFILE…), for fault tests.
    func injectAcceptFailures(errno: Int32, count: Int) {
        injected.withLock { $0 = (errno, count) }
    }

    /// Whether `close` has been called.
    public var isClosed: Bool { registration.isClosed }

    /// Stops listening; every task parked in `accept` wakes and throws EBADF. Idempotent.
    public func close() { runtime.scheduler.driver.close(registration) }

    deinit { close() }
}
