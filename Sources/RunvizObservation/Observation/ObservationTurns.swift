// An observer's turns over a runtime in this process, the same for each of them (the dashboard's
// Session, the RuntimeObserver thread of a watched program). One turn:
//   1. drain the event rings into one stream in time order (EventMerger);
//   2. read the counters;
//   3. take the names interned since the last turn (the table only grows, so each name once);
//   4. on a frame turn, sample the process as the kernel sees it;
//   5. hand that Observation to the caller's body (the caller adds what is its own: the echo
//      server's counters, the demos; then an Observer, a history, sinks take it);
//   6. time the whole turn, body included: the next observation carries that CPU
//      (`observerNanos`, the observer-load figure), so observing costs what it shows.
//
// Invariants: at most one per hub (the rings are single-consumer); one thread calls it, one turn
// at a time. It holds the hub, never the runtime, so it never keeps a runtime alive.

import CRunvizLinux
import RunvizTelemetry

public final class ObservationTurns {
    public let hub: TelemetryHub
    /// At its own pace (`turn(_:)`), every this many turns is a frame turn.
    public let turnsPerFrame: Int
    private let merger: EventMerger
    @exclusivity(unchecked) private var probe = ProcessProbe()
    /// Names handed out so far.
    @exclusivity(unchecked) private var namesSent = 0
    @exclusivity(unchecked) private var turns = 0
    /// CPU this thread spent on the previous turn.
    @exclusivity(unchecked) private var lastTurnNanos: UInt64 = 0

    public init(hub: TelemetryHub, turnsPerFrame: Int = 5) {
        self.hub = hub
        self.turnsPerFrame = max(turnsPerFrame, 1)
        merger = EventMerger(hub: hub)
    }

    /// One turn of the kind the caller picks, read at `now` (monotonic ns): `body` takes the
    /// observation, and its CPU counts in the turn's.
    public func turn<Result>(_ kind: Observation.Turn, now: UInt64, _ body: (Observation) -> Result) -> Result {
        timed(kind, now: now, body)
    }

    /// One turn at the observer's own pace: every `turnsPerFrame`-th a frame turn, read at the clock
    /// after the drain (no event drained is later than the observation).
    public func turn<Result>(_ body: (Observation) -> Result) -> Result {
        turns += 1
        return timed(turns % turnsPerFrame == 0 ? .frame : .update, now: nil, body)
    }

    /// The process now, from the probe the frame turns use (a status line between frames).
    public func sampleProcess() -> ProcessSnapshot { probe.sample() }

    private func timed<Result>(_ kind: Observation.Turn, now: UInt64?, _ body: (Observation) -> Result) -> Result {
        let started = runviz_thread_cpu_ns()
        let result = body(read(kind, now: now))
        lastTurnNanos = runviz_thread_cpu_ns() &- started
        return result
    }

    private func read(_ kind: Observation.Turn, now: UInt64?) -> Observation {
        let events = merger.drain()
        let counters = hub.readCounters()
        let names = hub.names.all()
        let newNames = namesSent < names.count ? Array(names[namesSent...]) : []
        namesSent = names.count
        var o = Observation(
            turn: kind, now: now ?? runviz_now_ns(), events: events, newNames: newNames, counters: counters,
            observerNanos: lastTurnNanos)
        if kind == .frame { o.process = probe.sample() }
        return o
    }
}
