// A connected, non-blocking TCP socket on the runtime's reactor. Every operation tries the syscall
// first and parks the task on the fd only on EAGAIN (read interest for read, write interest for
// write), so a ready socket costs no wakeup. Writes use MSG_NOSIGNAL: a peer that hung up yields
// EPIPE, never SIGPIPE. `close()` deregisters from epoll before closing the fd, and wakes waiters.
//
// Closed means closed: every syscall runs pinned through the registration, so after `close()` no
// operation touches the fd number (it may belong to another socket by then); each throws
// SystemError with EBADF instead, and a task parked in one wakes with that error. Any number of
// tasks may wait in each direction; readiness wakes them all and each retries. A cancelled wait
// throws CancellationError and leaves nothing behind: no byte read or written, the stream open.

import Glibc
import RunvizSystem

/// A connected TCP socket registered with the runtime's reactor (tokio::net::TcpStream): reads
/// and writes park the task while the socket is not ready. Several tasks may wait on one stream;
/// `close` wakes them all with EBADF.
public final class TCPStream: Sendable {
    /// The socket's descriptor (for the dashboard; the stream owns it).
    public let fd: Int32
    let runtime: Runtime
    let registration: Registration

    /// Takes ownership of a connected non-blocking socket and registers it with the reactor.
    public init(runtime: Runtime, adopting fd: Int32) throws {
        self.fd = fd
        self.runtime = runtime
        self.registration = try runtime.scheduler.driver.register(fd: fd)
    }

    /// Connects to `address` (parks on write interest while the handshake is in flight).
    /// Cancelled while in flight: throws CancellationError and the half-made socket is closed.
    public static func connect(runtime: Runtime, to address: SocketAddress) async throws -> TCPStream {
        let target = try address.posixAddress()
        let fd = try Posix.streamSocket(for: target)
        let stream: TCPStream
        do {
            // A latency option: the connection works without it, so its failure fails no connect.
            try? Posix.setNoDelay(fd)
            stream = try TCPStream(runtime: runtime, adopting: fd)
        } catch {
            try? Posix.close(fd)
            throw error
        }
        do {
            let registration = stream.registration
            let edges = registration.edges(.write)
            if try !registration.perform("connect", { fd throws(SystemError) in try Posix.connect(fd, to: target) }) {
                try await registration.awaitReady(.write, emptyAt: edges, "connect", recorder: runtime.recorder)
                let err = try registration.perform("getsockopt") { fd throws(SystemError) in try Posix.pendingError(fd)
                }
                if err != 0 { throw SystemError("connect", errno: err) }
            }
            return stream
        } catch {
            stream.close()
            throw error
        }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of stream. Once a read has proved the
    /// socket drained (EAGAIN, or a short read as `tryRead` says), the next parks for an edge
    /// before it reads. Closed (before or while waiting): throws EBADF. Cancelled while waiting:
    /// throws CancellationError, nothing read.
    public func read(into buffer: UnsafeMutableRawBufferPointer) async throws -> Int {
        while true {
            if registration.isCleared(.read) { try await waitReadable() }
            if case .bytes(let n) = try tryRead(into: buffer) { return n }
        }
    }

    /// What one non-blocking attempt did: moved `bytes(n)`, or would have had to wait.
    public enum TryResult: Sendable, Equatable {
        case bytes(Int)
        case wouldBlock
    }

    /// One non-blocking read, no waiting: `.bytes(0)` is end of stream. Lets a caller read into a
    /// buffer it only holds for the current job (a per-thread scratch buffer). `.wouldBlock`
    /// clears read readiness, so a following `waitReadable()` parks. So does a short read (fewer
    /// bytes than the buffer holds), as tokio's poll_read takes it: the socket was drained, and
    /// new data brings a new edge, so the read that would answer EAGAIN need not be made (once
    /// the peer has hung up it does not: its end of stream is read next).
    /// Closed: throws EBADF.
    public func tryRead(into buffer: UnsafeMutableRawBufferPointer) throws -> TryResult {
        let edges = registration.edges(.read)
        switch try registration.perform("read", { fd throws(SystemError) in try Posix.read(fd, into: buffer) }) {
        case .done(let n):
            if n > 0 && n < buffer.count { registration.sawShortRead(at: edges) }
            return .bytes(n)
        case .wouldBlock:
            registration.sawEmpty(.read, at: edges)
            return .wouldBlock
        }
    }

    /// One non-blocking send, no waiting. `.wouldBlock` clears write readiness, so a following
    /// `waitWritable()` parks; so does a short send (the send buffer is full, as tokio's
    /// poll_write takes it). Closed: throws EBADF.
    public func tryWrite(_ buffer: UnsafeRawBufferPointer) throws -> TryResult {
        let edges = registration.edges(.write)
        switch try registration.perform("send", { fd throws(SystemError) in try Posix.send(fd, buffer) }) {
        case .done(let n):
            if n < buffer.count { registration.sawShortWrite(at: edges) }
            recordWrote(n)
            return .bytes(n)
        case .wouldBlock:
            registration.sawEmpty(.write, at: edges)
            return .wouldBlock
        }
    }

    /// Bytes leaving for the peer: with the readiness that came before, this is a reply's latency.
    @inline(__always)
    private func recordWrote(_ bytes: Int) {
        let recorder = runtime.recorder
        guard bytes > 0, recorder.enabled else { return }
        recorder.record(
            .wrote, task: TaskIdentity.current, worker: WorkerContext.currentIndex, arg: UInt64(UInt32(bitPattern: fd)),
            extra: UInt32(clamping: bytes))
    }

    /// Parks the task until the socket is readable: returns at once while an edge has come that
    /// no `.wouldBlock` from `tryRead` has disproved. Closed: throws EBADF. Cancelled: throws
    /// CancellationError and consumes nothing (the readiness stays for the next wait).
    public func waitReadable() async throws {
        try await registration.awaitReady(.read, emptyAt: nil, "read", recorder: runtime.recorder)
    }

    /// Parks the task until the socket is writable (as `waitReadable`, for `tryWrite`).
    /// Closed: throws EBADF. Cancelled: throws CancellationError and consumes nothing.
    public func waitWritable() async throws {
        try await registration.awaitReady(.write, emptyAt: nil, "send", recorder: runtime.recorder)
    }

    /// Reads up to `maxBytes`; returns nil at end of stream. Closed and cancelled as `read(into:)`.
    public func read(maxBytes: Int = 4096) async throws -> [UInt8]? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maxBytes, alignment: 1)
        defer { buffer.deallocate() }
        let n = try await read(into: buffer)
        if n == 0 { return nil }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }

    /// Writes some of `buffer`; returns how many bytes the kernel took (at least one). Closed:
    /// throws EBADF. Cancelled while waiting: throws CancellationError, nothing written.
    public func write(_ buffer: UnsafeRawBufferPointer) async throws -> Int {
        while true {
            if registration.isCleared(.write) { try await waitWritable() }
            if case .bytes(let n) = try tryWrite(buffer) { return n }
        }
    }

    /// Writes all of `buffer`, parking on write interest while the socket buffer is full.
    /// Cancelled or closed midway: throws, and the bytes already taken by the kernel stay sent
    /// (the caller cannot tell how many: not cancel-safe, as tokio's `write_all`).
    public func writeAll(_ buffer: UnsafeRawBufferPointer) async throws {
        var offset = 0
        while offset < buffer.count {
            offset += try await write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }
    }

    /// Writes all of `bytes` (as `writeAll(_:)` of a buffer, and as cancel-unsafe).
    public func writeAll(_ bytes: [UInt8]) async throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        try await writeAll(UnsafeRawBufferPointer(buffer))
    }

    /// Which half of the connection `shutdown` closes.
    public enum ShutdownDirection: Sendable { case read, write, both }

    /// Half-closes the connection (SHUT_WR sends FIN after pending data). Closed: throws EBADF.
    public func shutdown(_ direction: ShutdownDirection) throws {
        let how: Int32
        switch direction {
        case .read: how = Int32(SHUT_RD)
        case .write: how = Int32(SHUT_WR)
        case .both: how = Int32(SHUT_RDWR)
        }
        try registration.perform("shutdown") { fd throws(SystemError) in try Posix.shutdown(fd, how: how) }
    }

    /// Closes with RST instead of FIN (SO_LINGER 0). After `close()`, does nothing.
    public func reset() {
        // Best effort: if the option cannot be set, the close below still ends the connection (with FIN).
        try? registration.perform("setsockopt") { fd throws(SystemError) in try Posix.setLingerZero(fd) }
        close()
    }

    /// Whether `close` has been called.
    public var isClosed: Bool { registration.isClosed }

    /// Deregisters from the reactor and closes the fd; every task waiting on the stream wakes with
    /// EBADF. Idempotent.
    public func close() { runtime.scheduler.driver.close(registration) }

    deinit { close() }
}
