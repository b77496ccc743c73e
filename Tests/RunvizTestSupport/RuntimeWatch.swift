// A runtime with an Aggregator beside it, as the dashboard has: tests read what the runtime recorded
// through the same publications the screen draws (snapshot, lints, followed timeline). Each read
// drains the runtime's rings, applies the events and publishes at `Runtime.now`.

import Foundation
import RunvizObservation
import RunvizRuntime
import RunvizWatch

public struct RuntimeWatch {
    /// The watch's mutable half: the aggregator and the merger over the runtime's rings.
    private final class State {
        var aggregator: Aggregator
        let merger: EventMerger
        init(_ aggregator: Aggregator, _ merger: EventMerger) {
            self.aggregator = aggregator
            self.merger = merger
        }
    }

    public let runtime: Runtime
    private let state: State

    /// Watches `runtime`; `blockedNanos` is the threshold the snapshot's BLOCKED verdict uses.
    public init(_ runtime: Runtime, blockedNanos: UInt64 = 10_000_000) {
        self.runtime = runtime
        state = State(Aggregator(observing: runtime, blockedNanos: blockedNanos), EventMerger(hub: runtime.telemetry))
    }

    /// The aggregator as of the last read.
    public var aggregator: Aggregator { state.aggregator }

    /// Drains every event recorded so far and publishes now.
    public func publish() -> Publication {
        state.aggregator.apply(state.merger.drain())
        let hub = runtime.telemetry
        return state.aggregator.publish(now: Runtime.now, counters: hub.readCounters(), names: hub.names.all())
    }

    /// Drains every event recorded so far and reads the model now.
    public func snapshot() -> RuntimeSnapshot { publish().snapshot }

    /// The lints of a publication now.
    public func lints() -> [Lint] { publish().lints }

    /// Drains and snapshots until `condition` holds or `seconds` pass; returns the last snapshot.
    @discardableResult
    public func waitFor(seconds: Double = 5, _ condition: (RuntimeSnapshot) -> Bool) -> (RuntimeSnapshot, Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var s = snapshot()
        while !condition(s) {
            if Date() > deadline { return (s, false) }
            usleep(2_000)
            s = snapshot()
        }
        return (s, true)
    }
}
