// A connected, non-blocking TCP socket on the runtime's reactor. Every operation tries the syscall
// first and parks the task on the fd only on EAGAIN (read interest for read, write interest for
// write), so a ready socket costs no wakeup. Writes use MSG_NOSIGNAL: a peer that hung up yields
// EPIPE, never SIGPIPE. `close()` deregisters from epoll before closing the fd, and wakes waiters.

import Glibc
import RunvizTelemetry

public final class TCPStream: Sendable {
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
    public static func connect(runtime: Runtime, to address: SocketAddress) async throws -> TCPStream {
        let fd = try Posix.tcpSocket()
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
            if try !Posix.connect(fd, to: address.sockaddr()) {
                await stream.registration.wait(for: .write, recorder: runtime.recorder)
                let err = try Posix.pendingError(fd)
                if err != 0 { throw SystemError("connect", errno: err) }
            }
            return stream
        } catch {
            stream.close()
            throw error
        }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) async throws -> Int {
        while true {
            switch try Posix.read(fd, into: buffer) {
            case .done(let n): return n
            case .wouldBlock:
                if isClosed { throw SystemError("read", errno: EBADF) }
                await registration.wait(for: .read, recorder: runtime.recorder)
            }
        }
    }

    public enum TryResult: Sendable, Equatable {
        case bytes(Int)
        case wouldBlock
    }

    /// One non-blocking read, no waiting: `.bytes(0)` is end of stream. Lets a caller read into a
    /// buffer it only holds for the current job (a per-thread scratch buffer).
    public func tryRead(into buffer: UnsafeMutableRawBufferPointer) throws -> TryResult {
        switch try Posix.read(fd, into: buffer) {
        case .done(let n): return .bytes(n)
        case .wouldBlock: return .wouldBlock
        }
    }

    /// One non-blocking send, no waiting.
    public func tryWrite(_ buffer: UnsafeRawBufferPointer) throws -> TryResult {
        switch try Posix.send(fd, buffer) {
        case .done(let n):
            recordWrote(n)
            return .bytes(n)
        case .wouldBlock: return .wouldBlock
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

    /// Parks the task until the reactor reports the socket readable (or an edge already arrived).
    public func waitReadable() async throws {
        if isClosed { throw SystemError("read", errno: EBADF) }
        await registration.wait(for: .read, recorder: runtime.recorder)
    }

    /// Parks the task until the reactor reports the socket writable.
    public func waitWritable() async throws {
        if isClosed { throw SystemError("send", errno: EBADF) }
        await registration.wait(for: .write, recorder: runtime.recorder)
    }

    /// Reads up to `maxBytes`; returns nil at end of stream.
    public func read(maxBytes: Int = 4096) async throws -> [UInt8]? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maxBytes, alignment: 1)
        defer { buffer.deallocate() }
        let n = try await read(into: buffer)
        if n == 0 { return nil }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }

    /// Writes some of `buffer`; returns how many bytes the kernel took (at least one).
    public func write(_ buffer: UnsafeRawBufferPointer) async throws -> Int {
        while true {
            switch try Posix.send(fd, buffer) {
            case .done(let n):
                recordWrote(n)
                return n
            case .wouldBlock:
                if isClosed { throw SystemError("send", errno: EBADF) }
                await registration.wait(for: .write, recorder: runtime.recorder)
            }
        }
    }

    /// Writes all of `buffer`, parking on write interest while the socket buffer is full.
    public func writeAll(_ buffer: UnsafeRawBufferPointer) async throws {
        var offset = 0
        while offset < buffer.count {
            offset += try await write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }
    }

    public func writeAll(_ bytes: [UInt8]) async throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        try await writeAll(UnsafeRawBufferPointer(buffer))
    }

    public enum ShutdownDirection: Sendable { case read, write, both }

    /// Half-closes the connection (SHUT_WR sends FIN after pending data).
    public func shutdown(_ direction: ShutdownDirection) throws {
        let how: Int32
        switch direction {
        case .read: how = Int32(SHUT_RD)
        case .write: how = Int32(SHUT_WR)
        case .both: how = Int32(SHUT_RDWR)
        }
        try Posix.shutdown(fd, how: how)
    }

    /// Closes with RST instead of FIN (SO_LINGER 0).
    public func reset() {
        // Best effort: if the option cannot be set, the close below still ends the connection (with FIN).
        try? Posix.setLingerZero(fd)
        close()
    }

    public var isClosed: Bool { registration.isClosed }

    /// Deregisters from the reactor and closes the fd. Idempotent.
    public func close() { runtime.scheduler.driver.close(registration) }

    deinit { close() }
}
