// Facts about the one address and the one listen: numeric hosts only (a name is no address), a Unix
// path at most as long as the kernel takes, port 0 resolved by getsockname, a busy port refused by
// bind, and a Unix socket file that is 0600 and accepting once listen returns. Real sockets on
// loopback and in /tmp; each test closes what it opened.

import Glibc
import Testing

@testable import RunvizSystem

@Suite struct PosixListenTests {
    @Test func hostsAreNumericLiteralsOfTheirFamily() {
        #expect(Posix.Address(ipv4: "127.0.0.1", port: 80)?.port == 80)
        #expect(Posix.Address(ipv4: "localhost", port: 80) == nil)
        #expect(Posix.Address(ipv4: "::1", port: 80) == nil)
        #expect(Posix.Address(ipv6: "::1", port: 443)?.family == AF_INET6)
        #expect(Posix.Address(ipv6: "127.0.0.1", port: 443) == nil)
    }

    @Test func aUnixPathIsKeptWholeUpToWhatTheKernelTakes() {
        let longest = "/" + String(repeating: "p", count: Posix.Address.maxUnixPathBytes - 1)
        #expect(Posix.Address(unixPath: longest)?.unixPath == longest)
        #expect(Posix.Address(unixPath: longest + "p") == nil)
        #expect(Posix.Address(unixPath: "/tmp/a\0b") == nil)
        #expect(Posix.Address(ipv4: "127.0.0.1", port: 1)?.unixPath == nil)
    }

    @Test func portZeroIsTheOneTheKernelChoseAndABusyPortIsRefusedByBind() throws {
        let first = try Posix.listen(on: #require(Posix.Address(ipv4: "127.0.0.1", port: 0)), backlog: 4)
        defer { try? Posix.close(first) }
        let bound = try Posix.localAddress(first)
        #expect(bound.family == AF_INET)
        #expect(bound.port != 0)
        #expect(throws: SystemError("bind", errno: EADDRINUSE)) {
            try Posix.listen(on: #require(Posix.Address(ipv4: "127.0.0.1", port: bound.port)), backlog: 4)
        }
    }

    @Test func anIPv6ListenerReportsItsPort() throws {
        let address = try #require(Posix.Address(ipv6: "::1", port: 0))
        let listened = Result { () throws(SystemError) in try Posix.listen(on: address, backlog: 4) }
        // A machine without IPv6 loopback refuses the bind; that is no failure of the listen.
        if case .failure(let error) = listened, error.errno == EADDRNOTAVAIL { return }
        let fd = try listened.get()
        defer { try? Posix.close(fd) }
        let bound = try Posix.localAddress(fd)
        #expect(bound.family == AF_INET6)
        #expect(bound.port != 0)
    }

    @Test func aUnixSocketIsPrivateAndAcceptingOnceListenReturns() throws {
        let path = "/tmp/runviz-system-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }
        let address = try #require(Posix.Address(unixPath: path))
        let listener = try Posix.listen(on: address, backlog: 4)
        defer { try? Posix.close(listener) }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try Posix.localAddress(listener).unixPath == path)
        let client = try Posix.streamSocket(for: address)
        defer { try? Posix.close(client) }
        #expect(try Posix.connect(client, to: address))
        #expect(try Posix.accept(listener) != nil)
    }

    @Test func aUnixPathTakenByAnotherFileIsRefusedAndTheFileKept() throws {
        let path = "/tmp/runviz-system-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).file"
        let file = open(path, O_CREAT | O_WRONLY, 0o644)
        try #require(file >= 0)
        close(file)
        defer { unlink(path) }
        #expect(throws: SystemError("bind", errno: EADDRINUSE)) {
            try Posix.listen(on: #require(Posix.Address(unixPath: path)), backlog: 4)
        }
        #expect(access(path, F_OK) == 0)
    }
}
