// Facts about TCPStream on a real runtime: after close no operation touches the fd number (the
// kernel hands it to the next socket at once), every task parked on a stream wakes, and a cancelled
// read leaves the stream working. The streams wrap non-blocking AF_UNIX pairs (TCPStream needs only
// a connected socket); the test thread writes the peer's end.

import Glibc
import RunvizLock
import RunvizTestSupport
import Testing

@testable import RunvizRuntime

/// How a reader ended, as a value tests compare.
enum ReadOutcome: Hashable, Sendable {
    case bytes([UInt8])
    case end
    case failed(Int32)
    case cancelled
}

extension ReadOutcome {
    static func of(_ read: () async throws -> [UInt8]?) async -> ReadOutcome {
        do {
            guard let bytes = try await read() else { return .end }
            return .bytes(bytes)
        } catch let error as SystemError {
            return .failed(error.errno)
        } catch {
            return error is CancellationError ? .cancelled : .failed(-1)
        }
    }
}

@Suite struct TCPStreamTests {
    let runtime: Runtime

    init() throws { runtime = try Runtime(RuntimeConfiguration(workers: 1)) }

    func readers(_ stream: TCPStream) -> Int { stream.registration.state.withLock { $0.read.waiters.count } }

    @discardableResult
    func startReading(_ stream: TCPStream, maxBytes: Int = 16, _ outcomes: Outcomes<ReadOutcome>) -> JoinHandle<Void> {
        runtime.spawn(name: "reader") {
            outcomes.append(await ReadOutcome.of { try await stream.read(maxBytes: maxBytes) })
        }
    }

    func send(_ fd: Int32, _ bytes: [UInt8]) {
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    @Test func aReaderWokenByCloseNeverReadsTheSocketThatReusedItsNumber() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        let outcomes = Outcomes<ReadOutcome>()
        startReading(stream, outcomes)
        #expect(eventually { readers(stream) == 1 })

        let other = Lock<[Int32]>([])
        runtime.spawn(name: "closer") {
            stream.close()
            // On the one worker the woken reader runs after this job, when the kernel has handed
            // its fd number to this new pair, whose bytes are waiting.
            guard let (x, y) = openSocketPair() else { return }
            other.withLock { $0 = [x, y] }
            var byte: UInt8 = 42
            _ = write(y, &byte, 1)
        }
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [.failed(EBADF)])
        for fd in other.withLock({ $0 }) { close(fd) }
    }

    @Test func readersRacingCloseOnAnotherWorkerNeverReadAnotherSocketsBytes() throws {
        let racing = try Runtime(RuntimeConfiguration(workers: 2))
        defer { racing.shutdown() }
        for _ in 0..<100 {
            let (a, peer) = try nonBlockingSocketPair()
            let stream = try TCPStream(runtime: racing, adopting: a)
            let outcomes = Outcomes<ReadOutcome>()
            let opened = Lock<[Int32]>([])
            // The peer never writes: any byte the reader returns came from a socket that took its number.
            racing.spawn(name: "reader") {
                outcomes.append(await ReadOutcome.of { try await stream.read(maxBytes: 16) })
            }
            racing.spawn(name: "closer") {
                stream.close()
                guard let (x, y) = openSocketPair() else { return }
                opened.withLock { $0 = [x, y] }
                var byte: UInt8 = 42
                _ = write(y, &byte, 1)
            }
            #expect(eventually { outcomes.count == 1 })
            #expect(outcomes.all == [.failed(EBADF)])
            close(peer)
            for fd in opened.withLock({ $0 }) { close(fd) }
        }
    }

    @Test func aShortReadClearsReadReadinessAndAFullReadDoesNot() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        var bytes: [UInt8] = [1, 2, 3, 4, 5, 6]
        #expect(write(peer, &bytes, 6) == 6)
        #expect(eventually { stream.registration.isReady(.read) }, "the reactor saw the data arrive")
        let four = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { four.deallocate() }
        #expect(try stream.tryRead(into: four) == .bytes(4))
        #expect(stream.registration.isReady(.read), "a full read leaves the rest signalled")
        #expect(try stream.tryRead(into: four) == .bytes(2))
        #expect(!stream.registration.isReady(.read), "a short read drained the socket: no read to EAGAIN needed")
        #expect(write(peer, &bytes, 1) == 1)
        #expect(eventually { stream.registration.isReady(.read) }, "new data brings a new edge")
    }

    @Test func aReadAfterAShortReadParksForTheNextEdgeInsteadOfReadingToEAGAIN() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        send(peer, [1, 2, 3])
        #expect(eventually { stream.registration.isReady(.read) }, "the reactor saw the data arrive")
        let outcomes = Outcomes<ReadOutcome>()
        runtime.spawn(name: "reader") {
            outcomes.append(await ReadOutcome.of { try await stream.read(maxBytes: 16) })
            outcomes.append(await ReadOutcome.of { try await stream.read(maxBytes: 16) })
        }
        #expect(eventually { outcomes.count == 1 && readers(stream) == 1 })
        #expect(outcomes.all == [.bytes([1, 2, 3])])
        let parked = stream.registration.state.withLock { $0.read.clearedBy }
        #expect(parked == .shortRead, "the short read, not an EAGAIN, parked the second read")
        send(peer, [4])
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.last == .bytes([4]))
    }

    @Test func afterAHangUpAShortReadLeavesTheEndOfStreamToRead() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        var bytes: [UInt8] = [1, 2]
        #expect(write(peer, &bytes, 2) == 2)
        close(peer)
        #expect(eventually { stream.registration.state.withLock { $0.hungUp } }, "the reactor saw the hang-up")
        let four = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { four.deallocate() }
        #expect(try stream.tryRead(into: four) == .bytes(2))
        #expect(stream.registration.isReady(.read), "no edge will come for the end of stream")
        #expect(try stream.tryRead(into: four) == .bytes(0))
    }

    @Test func everyOperationAfterCloseThrowsWithoutTouchingTheFd() async throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        stream.close()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { buffer.deallocate() }
        #expect(throws: SystemError("read", errno: EBADF)) { try stream.tryRead(into: buffer) }
        #expect(throws: SystemError("send", errno: EBADF)) { try stream.tryWrite(UnsafeRawBufferPointer(buffer)) }
        #expect(throws: SystemError("shutdown", errno: EBADF)) { try stream.shutdown(.write) }
        await #expect(throws: SystemError("read", errno: EBADF)) { try await stream.read(into: buffer) }
        await #expect(throws: SystemError("send", errno: EBADF)) {
            try await stream.write(UnsafeRawBufferPointer(buffer))
        }
        await #expect(throws: SystemError("read", errno: EBADF)) { try await stream.waitReadable() }
        stream.reset()
        #expect(stream.isClosed)
    }

    @Test func twoReadersOnOneStreamBothWake() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        let outcomes = Outcomes<ReadOutcome>()
        startReading(stream, maxBytes: 1, outcomes)
        startReading(stream, maxBytes: 1, outcomes)
        #expect(eventually { readers(stream) == 2 })
        send(peer, [1, 2])
        #expect(eventually { outcomes.count == 2 })
        #expect(Set(outcomes.all) == [.bytes([1]), .bytes([2])])
    }

    @Test func closeWakesEveryParkedReader() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        let outcomes = Outcomes<ReadOutcome>()
        startReading(stream, outcomes)
        startReading(stream, outcomes)
        #expect(eventually { readers(stream) == 2 })
        stream.close()
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.failed(EBADF), .failed(EBADF)])
    }

    @Test func aCancelledReaderThrowsCancellationAndTheStreamStillWorks() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        let outcomes = Outcomes<ReadOutcome>()
        let cancelled = startReading(stream, outcomes)
        #expect(eventually { readers(stream) == 1 })
        cancelled.cancel()
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [.cancelled])
        #expect(readers(stream) == 0)
        #expect(!stream.isClosed)

        startReading(stream, outcomes)
        #expect(eventually { readers(stream) == 1 })
        send(peer, [7])
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.last == .bytes([7]))
    }

    @Test func aCancelledWriterThrowsCancellationAndTheStreamStillWrites() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        let chunk = [UInt8](repeating: 9, count: 65_536)
        // Fill the socket buffer, so the next write parks.
        while try chunk.withUnsafeBytes({ try stream.tryWrite($0) }) != .wouldBlock {}
        let outcomes = Outcomes<ReadOutcome>()
        let writer = runtime.spawn(name: "writer") {
            outcomes.append(
                await ReadOutcome.of {
                    try await stream.writeAll([1]); return [1]
                })
        }
        #expect(eventually { stream.registration.state.withLock { $0.write.waiters.count } == 1 })
        writer.cancel()
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.all == [.cancelled])
        #expect(!stream.isClosed)

        // Drain the peer; the stream writes again.
        var sink = [UInt8](repeating: 0, count: 65_536)
        while sink.withUnsafeMutableBytes({ read(peer, $0.baseAddress, $0.count) }) > 0 {}
        runtime.spawn(name: "writer") {
            outcomes.append(
                await ReadOutcome.of {
                    try await stream.writeAll([5]); return [5]
                })
        }
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all.last == .bytes([5]))
    }

    @Test func aSpawnedTaskParksThroughItsOwnSlotAndAChildOrAnUnstructuredTaskDoesNot() throws {
        defer { runtime.shutdown() }
        let owns = Outcomes<Bool>()
        let records = Outcomes<String>()
        /// What the running task's status records say of its slot: "slot" when it is the one in
        /// the task-local, "none", "unknown".
        @Sendable func recordsSay() -> String {
            guard let layout = TaskLayout.measured, let task = SwiftRuntime.currentTask() else { return "unread" }
            switch layout.waitSlot(ofRunning: task) {
            case .slot(let raw):
                let current = WaitSlot.current.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) }
                return raw == current ? "slot" : "other"
            case .none: return "none"
            case .unknown: return "unknown"
            }
        }
        runtime.spawn(name: "parent") {
            owns.append(WaitSlot.owned(by: TaskIdentity.current) != nil)
            records.append(recordsSay())
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    owns.append(WaitSlot.owned(by: TaskIdentity.current) != nil)
                    records.append(recordsSay())
                }
            }
            await Task(executorPreference: runtime.executor) {
                owns.append(WaitSlot.owned(by: TaskIdentity.current) != nil)
                records.append(recordsSay())
            }.value
        }
        #expect(eventually { owns.count == 3 && records.count == 3 })
        #expect(owns.all == [true, false, false])
        // Where the task layout is the measured one, the slot comes from the task's own records.
        if TaskLayout.measured != nil { #expect(records.all == ["slot", "none", "none"]) }
    }

    /// A wait reads its task's cancellation from the task's status (TaskLayout): the same answer
    /// as `Task.isCancelled`, before and after the task is cancelled.
    @Test func aTaskReadsItsCancellationFromItsStatusAsTaskIsCancelledDoes() throws {
        defer { runtime.shutdown() }
        let readings = Outcomes<[Bool]>()
        runtime.spawn(name: "self-cancelling") {
            let before = [SwiftRuntime.isCurrentTaskCancelled(), Task.isCancelled]
            withUnsafeCurrentTask { $0?.cancel() }
            readings.append(before + [SwiftRuntime.isCurrentTaskCancelled(), Task.isCancelled])
        }
        #expect(eventually { readings.count == 1 })
        #expect(readings.all == [[false, false, true, true]])
    }

    @Test func aCancelEndsTheWaitParkedNowNotAnEarlierOneThatWasWoken() throws {
        defer { runtime.shutdown() }
        let (a, peerA) = try nonBlockingSocketPair()
        let (b, peerB) = try nonBlockingSocketPair()
        defer { close(peerA); close(peerB) }
        let first = try TCPStream(runtime: runtime, adopting: a)
        let second = try TCPStream(runtime: runtime, adopting: b)
        defer { first.close(); second.close() }
        let outcomes = Outcomes<ReadOutcome>()
        let reader = runtime.spawn(name: "reader") {
            outcomes.append(await ReadOutcome.of { try await first.read(maxBytes: 16) })
            outcomes.append(await ReadOutcome.of { try await second.read(maxBytes: 16) })
        }
        #expect(eventually { readers(first) == 1 })
        send(peerA, [1])
        #expect(eventually { readers(second) == 1 })
        reader.cancel()
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.bytes([1]), .cancelled])
        #expect(readers(first) == 0 && readers(second) == 0)
    }

    @Test func aChildTaskParkedOnAStreamIsCancelledWithItsGroupWhileItsParentRunsOn() throws {
        defer { runtime.shutdown() }
        let (a, peer) = try nonBlockingSocketPair()
        defer { close(peer) }
        let stream = try TCPStream(runtime: runtime, adopting: a)
        defer { stream.close() }
        let outcomes = Outcomes<ReadOutcome>()
        runtime.spawn(name: "parent") {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { outcomes.append(await ReadOutcome.of { try await stream.read(maxBytes: 16) }) }
                while readers(stream) == 0 { await Task.yield() }
                group.cancelAll()
            }
            outcomes.append(.end)
        }
        #expect(eventually { outcomes.count == 2 })
        #expect(outcomes.all == [.cancelled, .end])
        #expect(readers(stream) == 0)
    }
}
