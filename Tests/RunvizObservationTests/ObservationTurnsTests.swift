// Facts about ObservationTurns, the one turn every in-process observer makes: each interned name is
// handed out once, in id order; at its own pace every `turnsPerFrame`-th turn is a frame turn; the
// process is sampled on frame turns only; a turn drains the rings (in time order, each event once)
// and reads at a clock no earlier than what it drained; and the next turn carries the CPU the
// previous one spent, the body included.

import Glibc
import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct ObservationTurnsTests {
    static func clock(_ id: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(id, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    @Test func eachNameIsHandedOutOnceInIDOrder() {
        let hub = TelemetryHub(workerCount: 1, ringCapacity: 64)
        let turns = ObservationTurns(hub: hub)
        _ = hub.names.intern("accept")
        #expect(turns.turn(.update, now: 1) { $0.newNames } == ["", "accept"], "the table's empty name 0 too")
        #expect(turns.turn(.frame, now: 2) { $0.newNames } == [])
        _ = hub.names.intern("connection")
        _ = hub.names.intern("accept")
        _ = hub.names.intern("timer")
        #expect(turns.turn(.update, now: 3) { $0.newNames } == ["connection", "timer"])
        #expect(turns.turn { $0.newNames } == [], "the own-pace turns share the count")
    }

    @Test func atItsOwnPaceEveryNthTurnIsAFrameTurn() {
        let turns = ObservationTurns(hub: TelemetryHub(workerCount: 1, ringCapacity: 64), turnsPerFrame: 3)
        let kinds = (0..<7).map { _ in turns.turn { $0.turn } }
        #expect(kinds == [.update, .update, .frame, .update, .update, .frame, .update])
        // Turns of the caller's kind do not move the pace.
        #expect(turns.turn(.frame, now: 1) { $0.turn } == .frame)
        #expect(turns.turn { $0.turn } == .update)
        #expect(turns.turn { $0.turn } == .frame)
    }

    @Test func theProcessIsSampledOnFrameTurnsOnly() {
        let turns = ObservationTurns(hub: TelemetryHub(workerCount: 2, ringCapacity: 64), turnsPerFrame: 2)
        let update = turns.turn(.update, now: 1) { $0 }
        #expect(update.process == ProcessSnapshot())
        let frame = turns.turn(.frame, now: 2) { $0 }
        #expect(frame.process.residentBytes > 0)
        #expect(frame.process.threads > 0)
        let paced = (0..<4).map { _ in turns.turn { ($0.turn, $0.process.residentBytes > 0) } }
        #expect(paced.map(\.0) == [.update, .frame, .update, .frame])
        #expect(paced.map(\.1) == [false, true, false, true])
    }

    @Test func aTurnDrainsTheRingsAndReadsTheCounters() {
        let hub = TelemetryHub(workerCount: 2, ringCapacity: 64)
        let rings = (0..<2).map { hub.makeRing(label: "worker-\($0)") }
        let start = Self.clock(CLOCK_MONOTONIC)
        rings[1].record(RuntimeEvent(time: start + 1, kind: .workerParked, worker: 1))
        rings[0].record(RuntimeEvent(time: start, kind: .workerParked, worker: 0))
        let turns = ObservationTurns(hub: hub)
        let o = turns.turn { $0 }
        #expect(o.events.map(\.worker) == [0, 1], "one stream in time order")
        #expect(o.counters.workers.count == 2)
        #expect(o.counters.eventsEnabled)
        // At its own pace the clock is read after the drain: no drained event is later.
        rings[0].record(RuntimeEvent(time: Self.clock(CLOCK_MONOTONIC), kind: .workerUnparked, worker: 0))
        let next = turns.turn { $0 }
        #expect(next.events.count == 1, "each event once")
        #expect(next.now >= next.events[0].time)
        hub.enabled = false
        #expect(turns.turn(.update, now: 5) { $0.counters.eventsEnabled } == false)
    }

    @Test func theNextTurnCarriesTheCPUThePreviousOneSpent() {
        let turns = ObservationTurns(hub: TelemetryHub(workerCount: 1, ringCapacity: 64))
        #expect(turns.turn(.update, now: 1) { $0.observerNanos } == 0, "no turn before the first")
        // A body that spends 2 ms of this thread's CPU: the turn's time encloses it.
        let spent = turns.turn(.frame, now: 2) { _ in
            let started = Self.clock(CLOCK_THREAD_CPUTIME_ID)
            var spin: UInt64 = 0
            while Self.clock(CLOCK_THREAD_CPUTIME_ID) &- started < 2_000_000 { spin &+= 1 }
            return Self.clock(CLOCK_THREAD_CPUTIME_ID) &- started
        }
        let carried = turns.turn { $0.observerNanos }
        #expect(carried >= spent)
        #expect(turns.turn { $0.observerNanos } < spent, "each turn carries the previous one's alone")
    }
}
