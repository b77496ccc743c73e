// Shared pieces of the wire tests: a setup and observations to stream, a unique Unix socket path,
// a viewer stepped until a condition holds (with a deadline, never a fixed sleep), and a raw
// socket peer for the tests that must break the protocol on purpose.

import CRunvizLinux
import Foundation
import Glibc
import RunvizObservation
import RunvizTelemetry
import RunvizTestSupport

@testable import RunvizWire

enum WireFixtures {
    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10_000_000, instrumentation: true),
        startedAt: 1_000_000_000, echoAddress: "127.0.0.1:7878", eventCostNanos: 12)

    /// Observation `i`, 50 ms after the last; `events` filler events of task 99.
    static func observation(_ i: Int, events: Int = 0, names: [String] = [], extra: [RuntimeEvent] = [])
        -> Observation
    {
        let now = setup.startedAt + UInt64(i + 1) * 50_000_000
        var list = (0..<events).map { k in
            RuntimeEvent(time: now - 1000 + UInt64(k % 1000), kind: .fdReady, task: 99, arg: UInt64(k))
        }
        list += extra
        list.sort { $0.time < $1.time }
        return Observation(
            turn: i % 5 == 4 ? .frame : .update, now: now, events: list, newNames: names,
            counters: .idle(workers: 2))
    }

    static func socketPath(_ tag: String) -> String {
        "/tmp/runviz-wire-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    }

    /// Steps `connection` until `condition` holds (up to 10 s).
    static func step(_ connection: AttachConnection, until condition: () -> Bool) -> Bool {
        eventually(10) {
            connection.step()
            return condition()
        }
    }

    /// Every observation a connection decoded so far, taken out of it.
    static func drain(_ connection: AttachConnection, into list: inout [Observation]) {
        for item in connection.items { if case .observation(let o) = item { list.append(o) } }
        connection.items.removeAll()
    }
}

/// A blocking socket to an endpoint that speaks the wire by hand.
final class RawPeer {
    let fd: Int32

    init?(_ address: TelemetryAddress, receiveBuffer: Int32? = nil) {
        let family = address.isUnix ? AF_UNIX : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(4))
        }
        guard case .connected(let connected) = WireSocket.connect(address, nonBlocking: false) else {
            close(fd)
            return nil
        }
        close(fd)
        self.fd = connected
        if var size = receiveBuffer { setsockopt(connected, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(4)) }
        setTimeouts(connected, seconds: 5)
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) { _ = WireSocket.send(fd, bytes) }

    /// Reads until `count` bytes came or the peer closed (5 s timeout per read).
    func receive(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - out.count), 0) }
            if n <= 0 { break }
            out += buffer[..<n]
        }
        return out
    }

    /// Everything until the peer closes (5 s timeout per read).
    func receiveAll() -> [UInt8] { receive(Int.max) }
}
