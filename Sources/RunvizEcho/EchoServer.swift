// The primer's echo server on the runviz runtime: an accept loop task that spawns one task per
// connection (or, in thread mode, starts one OS thread per connection), echoing every byte.
// Written only against the runtime's public API.
//
// Rules: a connection reads into the worker's scratch buffer and writes the bytes back in the same
// job; only when the write would block does it copy what is left into a buffer of its own, and it
// reads nothing more until that is written (backpressure: at most 64 KiB held per connection).
// Read returning 0 (half-close) ends the echo after everything read has been written. A short
// read drained the socket, so the connection parks for the next edge instead of reading to EAGAIN.
// ECONNRESET/EPIPE end that connection only. EMFILE/ENFILE on accept: the listener stays, the loop
// backs off 100 ms doubling to 1 s, and the backoff is counted. The accept loop yields after every
// 64 accepts, so a burst of connections never holds a worker. The mode can change at any time; it
// applies to connections accepted afterwards.

import CRunvizLinux
import Glibc
import RunvizLock
import RunvizRuntime
import RunvizSystem
import Synchronization

public final class EchoServer: Sendable {
    public let runtime: Runtime
    public let listener: TCPListener
    public let stats = EchoStats()
    private let modeFlag: Atomic<UInt8>
    private let acceptTask = Lock<JoinHandle<Void>?>(nil)

    /// Binds `address` (port 0: any free port; see `address`).
    public init(runtime: Runtime, address: SocketAddress, mode: ServerMode = .tasks) throws {
        self.runtime = runtime
        self.listener = try TCPListener(runtime: runtime, address: address)
        self.modeFlag = Atomic(mode == .tasks ? 0 : 1)
    }

    public var address: SocketAddress { listener.address }

    public var mode: ServerMode {
        get { modeFlag.load(ordering: .relaxed) == 0 ? .tasks : .threads }
        set { modeFlag.store(newValue == .tasks ? 0 : 1, ordering: .relaxed) }
    }

    /// Starts the accept loop task.
    public func start() {
        let handle = runtime.spawn(name: "accept-loop") { [self] in try await acceptLoop() }
        acceptTask.withLock { $0 = handle }
    }

    /// Starts the accept loop as a program's main body, the way `#[tokio::main]` runs `main`: a
    /// thread of its own (named `block-on`) calls `runtime.blockOn` with the loop and sleeps there
    /// until the loop ends (`stop`) or the runtime shuts down. `launch` starts the server so, which
    /// puts a real `blockOn` caller beside the workers. Returns false when no thread could start.
    @discardableResult
    public func startInBlockOn() -> Bool {
        do {
            try OSThread.startDetached(name: "block-on") {
                _ = try? self.runtime.blockOn(name: "accept-loop") { try await self.acceptLoop() }
            }
            return true
        } catch {
            return false
        }
    }

    /// Closes the listener; the accept loop ends. Open connections are left to finish.
    public func stop() {
        listener.close()
    }

    private func acceptLoop() async throws {
        var backoff: Duration = .milliseconds(100)
        // `acceptDescriptor` does not suspend while connections are pending, so a burst of 10,000 would
        // hold the worker for the whole burst: the loop yields after this many accepts in a row
        // (tokio's coop budget, counted in accepts).
        let acceptsPerYield = 64
        var acceptedInRow = 0
        while !listener.isClosed {
            do {
                if acceptedInRow == acceptsPerYield {
                    acceptedInRow = 0
                    await runtime.yieldNow()
                }
                // The mode is read after accept returns, so a switch applies to the very next connection.
                let fd = try await listener.acceptDescriptor()
                acceptedInRow += 1
                stats.accepted.add(1, ordering: .relaxed)
                if mode == .tasks {
                    let stream: TCPStream
                    do { stream = try TCPStream(runtime: runtime, adopting: fd) } catch {
                        Glibc.close(fd)
                        throw error
                    }
                    stats.openTasks.add(1, ordering: .relaxed)
                    runtime.spawn(name: "echo-conn") { [self] in await serve(stream) }
                } else {
                    startThread(fd)
                }
                backoff = .milliseconds(100)
            } catch let error as SystemError where error.isOutOfFileDescriptors {
                stats.acceptBackoffs.add(1, ordering: .relaxed)
                try await runtime.sleep(for: backoff)
                acceptedInRow = 0
                backoff = min(backoff * 2, .seconds(1))
            } catch {
                if listener.isClosed { return }
                stats.connectionErrors.add(1, ordering: .relaxed)
            }
        }
    }

    // MARK: task per connection

    private func serve(_ stream: TCPStream) async {
        defer {
            stream.close()
            stats.openTasks.subtract(1, ordering: .relaxed)
        }
        do {
            while true {
                let scratch = ScratchBuffer.current
                switch try stream.tryRead(into: scratch) {
                case .wouldBlock:
                    try await stream.waitReadable()
                    continue
                case .bytes(0):
                    return
                case .bytes(let n):
                    let data = UnsafeRawBufferPointer(rebasing: scratch[..<n])
                    var written = 0
                    if case .bytes(let w) = try stream.tryWrite(data) { written = w }
                    stats.sent(written)
                    if written < n { try await writeRest(of: data, from: written, to: stream) }
                    stats.answered()
                    // A short read drained the socket: park for the next edge instead of making
                    // the read that would answer EAGAIN (one syscall less per round trip).
                    if n < scratch.count { try await stream.waitReadable() }
                }
            }
        } catch {
            stats.connectionErrors.add(1, ordering: .relaxed)
        }
    }

    /// The slow path: the peer is not reading. Copy what is left out of the scratch buffer and park
    /// on write interest until it is all written.
    private func writeRest(of data: UnsafeRawBufferPointer, from offset: Int, to stream: TCPStream) async throws {
        let rest = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count - offset, alignment: 1)
        defer { rest.deallocate() }
        rest.copyMemory(from: UnsafeRawBufferPointer(rebasing: data[offset...]))
        var done = 0
        while done < rest.count {
            let w = try await stream.write(UnsafeRawBufferPointer(rebasing: rest[done...]))
            stats.sent(w)
            done += w
        }
    }

    // MARK: thread per connection

    private func startThread(_ fd: Int32) {
        _ = runviz_set_blocking(fd)
        stats.openThreads.add(1, ordering: .relaxed)
        do {
            try OSThread.startDetached(name: "echo-thread") { self.serveBlocking(fd) }
        } catch {
            stats.openThreads.subtract(1, ordering: .relaxed)
            stats.connectionErrors.add(1, ordering: .relaxed)
            Glibc.close(fd)
        }
    }

    /// Blocking read/write on a connection's own thread, with a 4 KiB stack buffer.
    private func serveBlocking(_ fd: Int32) {
        defer {
            Glibc.close(fd)
            stats.openThreads.subtract(1, ordering: .relaxed)
        }
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer in
            loop: while true {
                let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if n == 0 { break }
                if n < 0 {
                    if errno == EINTR { continue }
                    stats.connectionErrors.add(1, ordering: .relaxed)
                    break
                }
                var off = 0
                while off < n {
                    let w = Glibc.send(fd, buffer.baseAddress! + off, n - off, Int32(MSG_NOSIGNAL))
                    if w < 0 {
                        if errno == EINTR { continue }
                        stats.connectionErrors.add(1, ordering: .relaxed)
                        break loop
                    }
                    off += w
                }
                stats.sent(n)
                stats.answered()
            }
        }
    }
}
