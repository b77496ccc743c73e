// Facts about Fact, the one decoding of RuntimeEvent: every kind goes Fact → RuntimeEvent → Fact
// unchanged, edge encodings included (the inject queue and "no worker" bytes, fds whose 32-bit
// pattern has the top bit set, every park reason with and without a readiness proof); the fields
// land where the runtime's recorder puts them; bytes the runtime never writes decode without a trap.

import RunvizTelemetry
import Testing

@Suite struct FactTests {
    /// The kinds of park added after format 3's recordings keep their codes (the `detail` byte), so
    /// a recording's parks read the same in every version; a code no reader knows reads as `other`.
    @Test func parkKindsKeepTheirCodes() {
        #expect(ParkKind.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 7, 8, 9, 6])
        #expect(ParkReason(detail: 7, arg: 0, extra: 0) == .continuation)
        #expect(ParkReason(detail: 8, arg: 0, extra: 0) == .taskGroup)
        #expect(ParkReason(detail: 9, arg: 12, extra: 0) == .actor(name: 12))
        #expect(ParkReason(detail: 10, arg: 12, extra: 0) == .other)
        #expect(ParkReason.actor(name: 2).description(names: ["", "x", "Inventory"]) == "actor Inventory")
        #expect(ParkReason.actor(name: 2).description == "actor")
    }

    static let t: UInt64 = 1_234_567_890

    /// At least one fact of every kind, with the edge values each can carry.
    static let facts: [Fact] = {
        let a = TaskID(42)
        let reasons: [ParkReason] = [
            .io(fd: 7, interest: .read), .io(fd: 9, interest: [.read, .write]), .io(fd: -1, interest: .write),
            .io(fd: Int32.max, interest: []), .timer(deadline: UInt64.max), .mutex(id: UInt32.max),
            .channel(id: 3, sending: true), .channel(id: 3, sending: false), .join(TaskID(UInt64.max)),
            .blockingPool, .continuation, .taskGroup, .actor(name: 0), .actor(name: UInt32.max), .other,
        ]
        var facts: [Fact] = [
            .spawned(a, parent: .none, name: 0, thread: .other),
            .spawned(a, parent: TaskID(7), name: UInt32.max, thread: .worker(3)),
            .runStarted(a, worker: 0), .runStarted(.none, worker: 255),
            .runFinished(a, worker: 63), .runFinished(a, worker: Int(RuntimeEvent.noWorker)),
            .completed(a, thread: .worker(1)), .completed(a, thread: .other), .cancelled(a, thread: .worker(0)),
            .fdRegistered(fd: 12, interest: .read, by: a, thread: .worker(0)),
            .fdRegistered(fd: Int32.min, interest: [], by: .none, thread: .other),
            .fdReady(fd: 12, readiness: [.read, .hangup], waking: a, thread: .other),
            .fdReady(fd: -2, readiness: .write, waking: .none, thread: .worker(1)),
            .fdDeregistered(fd: 12, by: a, thread: .worker(1)),
            .workerParked(worker: 0, inDriver: true), .workerParked(worker: 1, inDriver: false),
            .workerUnparked(worker: 2),
            .workerBlocked(worker: 1, task: a, jobStart: 999), .workerBlocked(worker: 0, task: .none, jobStart: 0),
            .stole(worker: 1, victim: 0, jobs: 128),
            .blockingStarted(a, job: 5, poolThread: 1), .blockingFinished(a, job: UInt64.max, poolThread: UInt32.max),
            .timerFired(a, deadline: 77, thread: .worker(0)),
            .wrote(a, fd: 12, bytes: UInt32.max, thread: .worker(0)), .wrote(a, fd: -1, bytes: 0, thread: .other),
            .handleAwaited(a, by: TaskID(9)), .handleAwaited(a, by: .none), .handleDropped(a),
        ]
        for source in WakeSource.allCases {
            facts.append(.scheduled(a, source: source, argument: 12, queue: .inject, ahead: 0))
            facts.append(.scheduled(a, source: source, argument: UInt64.max, queue: .local(worker: 1), ahead: 9))
        }
        facts.append(.scheduled(a, source: .other, argument: 0, queue: .local(worker: 254), ahead: UInt32.max))
        for reason in reasons {
            facts.append(.parked(a, on: reason, proof: nil, thread: .worker(0)))
            facts.append(.parked(a, on: reason, proof: nil, thread: .other))
        }
        for proof in [ReadinessProof.wouldBlock, .shortRead, .shortWrite] {
            facts.append(.parked(a, on: .io(fd: 7, interest: .read), proof: proof, thread: .worker(1)))
            facts.append(.parked(a, on: .io(fd: -7, interest: .write), proof: proof, thread: .other))
        }
        return facts
    }()

    @Test func everyKindIsCovered() {
        let kinds = Set(Self.facts.map { RuntimeEvent(time: Self.t, fact: $0).kind.rawValue })
        var all: Set<UInt8> = []
        var raw: UInt8 = 0
        while let kind = RuntimeEvent.Kind(rawValue: raw) {
            all.insert(kind.rawValue)
            raw += 1
        }
        #expect(kinds == all)
    }

    @Test(arguments: facts) func roundTrips(_ fact: Fact) {
        let event = RuntimeEvent(time: Self.t, fact: fact)
        #expect(event.time == Self.t)
        #expect(event.fact == fact)
    }

    @Test func queuesAndThreadsUseTheReservedBytes() {
        let inject = RuntimeEvent(
            time: 1, fact: .scheduled(TaskID(1), source: .spawn, argument: 0, queue: .inject, ahead: 0))
        #expect(inject.worker == RuntimeEvent.injectQueue)
        let other = RuntimeEvent(time: 1, fact: .completed(TaskID(1), thread: .other))
        #expect(other.worker == RuntimeEvent.noWorker)
        #expect(EventThread(code: RuntimeEvent.injectQueue) == .worker(255))
        #expect(ReadyQueue(code: RuntimeEvent.noWorker) == .local(worker: 254))
        #expect(ReadyQueue.inject.description == "inject")
        #expect(ReadyQueue.local(worker: 3).description == "W3")
    }

    /// The layouts the recorder writes (Recorder, Driver, Scheduler), decoded.
    @Test func decodesTheRecordersLayout() {
        let parked = RuntimeEvent(
            time: 5, kind: .parked, task: 8, worker: 1, detail: UInt16(ParkKind.io.rawValue),
            arg: UInt64(UInt32(bitPattern: -3)), extra: 2 | UInt32(ReadinessProof.shortWrite.rawValue) << 8)
        #expect(
            parked.fact == .parked(TaskID(8), on: .io(fd: -3, interest: .write), proof: .shortWrite, thread: .worker(1))
        )
        let registered = RuntimeEvent(time: 5, kind: .fdRegistered, task: 8, detail: 1, arg: UInt64(12))
        #expect(registered.fact == .fdRegistered(fd: 12, interest: .read, by: TaskID(8), thread: .other))
        let stole = RuntimeEvent(time: 5, kind: .stole, worker: 1, arg: 0, extra: 4)
        #expect(stole.fact == .stole(worker: 1, victim: 0, jobs: 4))
        let pool = RuntimeEvent(time: 5, kind: .blockingStarted, task: 8, arg: 3, extra: 2)
        #expect(pool.fact == .blockingStarted(TaskID(8), job: 3, poolThread: 2))
        let epoll = RuntimeEvent(time: 5, kind: .workerParked, worker: 0, detail: 1)
        #expect(epoll.fact == .workerParked(worker: 0, inDriver: true))
    }

    @Test func bytesTheRuntimeNeverWritesStillDecode() {
        let source = RuntimeEvent(time: 1, kind: .scheduled, task: 1, worker: 0, detail: 200, arg: 5)
        #expect(source.fact == .scheduled(TaskID(1), source: .other, argument: 5, queue: .local(worker: 0), ahead: 0))
        let park = RuntimeEvent(time: 1, kind: .parked, task: 1, detail: 0xFFFF, arg: 5, extra: 0xFFFF_FFFF)
        #expect(park.fact == .parked(TaskID(1), on: .other, proof: nil, thread: .other))
    }
}
