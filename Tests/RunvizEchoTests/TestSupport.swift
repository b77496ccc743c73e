// Helpers for echo server tests: a server on port 0 with its own runtime (watched through an
// aggregator), a plain blocking client socket with 5 s timeouts (a broken server fails a test, never
// hangs it), and the kernel's view of this process's sockets:
// which TCP sockets on the server's port this process still holds (from /proc/net/tcp and
// /proc/self/fd), so leak checks stay exact while other tests open and close fds in parallel.

import Foundation
import Glibc
import RunvizEcho
import RunvizLock
import RunvizObservation
import RunvizRuntime
import RunvizTestSupport
import Testing

/// Every echo test shares one serialized parent suite: thread-mode tests start many OS threads and
/// count "echo-thread" threads, so they must not overlap each other.
@Suite(.serialized) enum EchoTests {}

/// A runtime, an echo server on 127.0.0.1 port 0, and an aggregator over the runtime's events.
struct Served {
    let watch: RuntimeWatch
    let server: EchoServer
    var runtime: Runtime { watch.runtime }

    /// `start` false: the listener is bound but nothing accepts until `server.start()`.
    init(_ mode: ServerMode, workers: Int = 2, start: Bool = true) throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: workers))
        watch = RuntimeWatch(runtime)
        server = try EchoServer(runtime: runtime, address: SocketAddress(host: "127.0.0.1", port: 0), mode: mode)
        if start { server.start() }
    }

    var port: UInt16 { server.address.port }

    /// Stops the server, waits (bounded) for its connection threads to end, and joins the runtime.
    func shutdown() {
        server.stop()
        _ = eventually(3) { server.stats.openThreadCount == 0 }
        runtime.shutdown()
    }

    func snapshot() -> RuntimeSnapshot { watch.snapshot() }

    func waitFor(seconds: Double = 5, _ condition: (RuntimeSnapshot) -> Bool) -> (RuntimeSnapshot, Bool) {
        watch.waitFor(seconds: seconds, condition)
    }

    /// Waits until no connection is open, only the listener is registered with the reactor, and
    /// the process holds no socket on the server's port but the listener.
    func expectNoLeak(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let closed = eventually { server.stats.openConnections == 0 }
        #expect(closed, "open connections: \(server.stats.openConnections)", sourceLocation: sourceLocation)
        let unregistered = eventually { runtime.registeredFDs == 1 }
        #expect(unregistered, "registered fds: \(runtime.registeredFDs)", sourceLocation: sourceLocation)
        let released = eventually { heldSockets(localPort: port).count == 1 }
        #expect(released, "sockets held on :\(port): \(heldSockets(localPort: port))", sourceLocation: sourceLocation)
    }
}

/// Work on its own OS thread (a load run, a blocking writer), collected with a deadline.
final class Background<Value: Sendable>: Sendable {
    private let result = Lock<Result<Value, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            let r = Result { try body() }
            result.withLock { $0 = r }
        }.start()
    }

    var isDone: Bool { result.withLock { $0 != nil } }

    struct TimedOut: Error {}

    /// Waits up to `seconds` for the body to finish and returns what it returned or threw.
    func value(seconds: Double = 10) throws -> Value {
        guard eventually(seconds, { isDone }) else { throw TimedOut() }
        return try result.withLock { $0! }.get()
    }
}

/// Bytes 0, 1, … 250, 0, 1, …: a pattern in which a lost, doubled or reordered chunk shows.
/// (Built by copying whole cycles: byte by byte, 8 MiB takes seconds in a debug build.)
func pattern(_ count: Int) -> [UInt8] {
    let cycle = (0..<251).map { UInt8($0) }
    var out: [UInt8] = []
    out.reserveCapacity(count)
    while out.count < count { out.append(contentsOf: cycle.prefix(count - out.count)) }
    return out
}

/// Whether two byte arrays are equal (memcmp: fast in debug builds, and a failure does not print
/// megabytes).
func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ call: String) { description = "\(call): \(String(cString: strerror(errno)))" }
}

/// A plain blocking TCP client socket on the test's own thread.
final class Client: @unchecked Sendable {
    let fd: Int32
    private(set) var isClosed = false

    /// `receiveBuffer` / `sendBuffer`: SO_RCVBUF / SO_SNDBUF set before connecting.
    init(port: UInt16, receiveBuffer: Int32? = nil, sendBuffer: Int32? = nil) throws {
        let connected = connectLoopback(port: port) { fd in
            setTimeouts(fd)
            if var size = receiveBuffer { _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4) }
            if var size = sendBuffer { _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, 4) }
        }
        guard let connected else { throw ClientError("connect") }
        fd = connected
    }

    deinit { close() }

    var localPort: UInt16 {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// Sends every byte; returns how many went out before an error or timeout.
    @discardableResult
    func send(_ bytes: [UInt8], progress: ((Int) -> Void)? = nil) -> Int {
        var sent = 0
        bytes.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, min(raw.count - sent, 16_384), Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                sent += n
                progress?(sent)
            }
        }
        return sent
    }

    /// Sends what the socket takes without blocking, until all is sent or nothing moved for
    /// `idle` seconds; returns how many bytes went out.
    func sendWithoutWaiting(_ bytes: [UInt8], idle: Double = 0.3) -> Int {
        var sent = 0
        var lastProgress = Date()
        bytes.withUnsafeBytes { raw in
            while sent < raw.count && Date().timeIntervalSince(lastProgress) < idle {
                let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, flags)
                if n > 0 {
                    sent += n
                    lastProgress = Date()
                } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                    var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&entry, 1, 20)
                } else {
                    return
                }
            }
        }
        return sent
    }

    /// Whether echoed bytes are waiting to be read, within `milliseconds`.
    func becomesReadable(within milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) == 1
    }

    /// Reads exactly `count` bytes, or fewer at EOF, error or timeout.
    func read(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        out.withUnsafeMutableBytes { raw in
            while got < count {
                let n = Glibc.recv(fd, raw.baseAddress! + got, count - got, 0)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                got += n
            }
        }
        return Array(out[..<got])
    }

    /// Reads until the peer closes. `eof` is false when reading stopped on an error or a timeout.
    func readToEnd(limit: Int = 16 << 20) -> (bytes: [UInt8], eof: Bool) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while out.count <= limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n == 0 { return (out, true) }
            if n < 0 { return (out, false) }
            out.append(contentsOf: buffer[..<n])
        }
        return (out, false)
    }

    /// One send and its whole echo.
    func echo(_ bytes: [UInt8]) -> [UInt8] {
        guard send(bytes) == bytes.count else { return [] }
        return read(bytes.count)
    }

    func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Closes with an RST (SO_LINGER 0) instead of a FIN.
    func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }
}

/// A TCP socket as /proc/net/tcp shows it.
struct TCPRow: Equatable {
    var localPort: UInt16
    var remotePort: UInt16
    /// Kernel state: 0x01 ESTABLISHED, 0x0A LISTEN…
    var state: UInt8
    /// Bytes written and not yet acknowledged, and bytes received and not yet read.
    var sendQueue: Int
    var receiveQueue: Int
    var inode: UInt64
}

/// The whole of a /proc file (its size reads as 0, so read until EOF).
func readProcFile(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// IPv4 TCP sockets of this network namespace.
func tcpRows() -> [TCPRow] {
    let text = readProcFile("/proc/net/tcp")
    func port(_ address: Substring) -> UInt16 { UInt16(address.split(separator: ":").last ?? "", radix: 16) ?? 0 }
    return text.split(separator: "\n").dropFirst().compactMap { line in
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count > 9 else { return nil }
        let queues = f[4].split(separator: ":")
        guard queues.count == 2 else { return nil }
        return TCPRow(
            localPort: port(f[1]), remotePort: port(f[2]), state: UInt8(f[3], radix: 16) ?? 0,
            sendQueue: Int(queues[0], radix: 16) ?? 0, receiveQueue: Int(queues[1], radix: 16) ?? 0,
            inode: UInt64(f[9]) ?? 0)
    }
}

/// Socket inodes this process holds an fd for.
func heldSocketInodes() -> Set<UInt64> {
    var inodes = Set<UInt64>()
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return inodes }
    var buffer = [CChar](repeating: 0, count: 256)
    for name in names {
        let n = readlink("/proc/self/fd/\(name)", &buffer, buffer.count - 1)
        guard n > 0 else { continue }
        let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("socket:["), let inode = UInt64(target.dropFirst(8).dropLast()) { inodes.insert(inode) }
    }
    return inodes
}

/// The TCP sockets with local port `localPort` (the listener and the server's side of every
/// connection) that this process still holds an fd for.
func heldSockets(localPort: UInt16) -> [TCPRow] {
    let held = heldSocketInodes()
    return tcpRows().filter { $0.localPort == localPort && $0.inode != 0 && held.contains($0.inode) }
}

/// Threads of this process named `name`.
func threads(named name: String) -> Int {
    guard let tids = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return 0 }
    return tids.filter { tid in
        readProcFile("/proc/self/task/\(tid)/comm").trimmingCharacters(in: .whitespacesAndNewlines) == name
    }.count
}
