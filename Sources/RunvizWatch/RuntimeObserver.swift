// A runtime's observer for a program that is not the runviz dashboard (RunvizWatch): a thread of its own
// that, every `interval`, makes one of the turns every observer makes (ObservationTurns: the rings
// drained, the counters and the new names read into one Observation; every fifth turn a frame turn,
// with the process as the kernel sees it) and hands it to each sink: viewers attached over a
// socket, a metrics endpoint.
//
// Invariants: it is the rings' only consumer while it runs (a runtime observed by a Session has
// none); its thread holds the runtime's telemetry hub, never the runtime, so a runtime that owns
// its observer can still be dropped; sinks are called on that thread only, one turn at a time, and
// must not block. `stop` makes one last turn, so what happened before it reaches every sink.

import RunvizLock
import RunvizObservation
import RunvizRuntime
import RunvizSystem
import RunvizTelemetry
import Synchronization

/// A thread that turns a runtime's events and counters into one Observation per turn for its sinks
/// (attached viewers, a metrics endpoint). Start at most one per runtime: it consumes the event rings.
public final class RuntimeObserver: @unchecked Sendable {
    /// What the sinks' Observer needs to know of the run: configuration, start, event cost.
    public let setup: ObservedSetup
    private let loop: Loop
    private let parker = Parker()
    private let stopped = Atomic<Bool>(false)
    private let thread: OSThread

    /// Starts observing `runtime` for `sinks`. Throws when the thread cannot start.
    public init(
        runtime: Runtime, sinks: [any ObservationSink], interval: Duration = .milliseconds(50)
    ) throws(RuntimeError) {
        let aggregator = Aggregator(observing: runtime)
        setup = ObservedSetup(
            configuration: aggregator.configuration, startedAt: runtime.startedAt, echoAddress: "",
            eventCostNanos: Runtime.measureEventCost())
        loop = Loop(hub: runtime.telemetry, sinks: sinks)
        let interval = max(Int64(interval.nanoseconds), 1_000_000)
        let (loop, parker) = (loop, parker)
        do {
            thread = try OSThread.start(name: "runviz-observer") {
                while !loop.stopping.load(ordering: .acquiring) {
                    parker.park(timeoutNanos: interval)
                    loop.turn()
                }
                loop.turn()
            }
        } catch {
            throw .startFailed("pthread_create failed (\(error.errno))")
        }
    }

    deinit { stop() }

    /// Ends the thread after one last turn and joins it. Idempotent; not from a sink.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        loop.stopping.store(true, ordering: .releasing)
        _ = parker.unpark()
        thread.join()
    }

    /// The observer thread's state: touched by that thread only.
    private final class Loop: @unchecked Sendable {
        let turns: ObservationTurns
        let sinks: [any ObservationSink]
        /// Set by `stop` (any thread); the only field not the observer thread's alone.
        let stopping = Atomic<Bool>(false)

        init(hub: TelemetryHub, sinks: [any ObservationSink]) {
            turns = ObservationTurns(hub: hub, turnsPerFrame: RuntimeObserver.turnsPerFrame)
            self.sinks = sinks
        }

        func turn() {
            turns.turn { o in for sink in sinks { sink.record(o) } }
        }
    }

    /// Every this many turns is a frame turn (at the default interval, four a second).
    static let turnsPerFrame = 5
}
