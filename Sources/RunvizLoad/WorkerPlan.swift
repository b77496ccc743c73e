// WorkerPlan: the immutable instructions for one LoadWorker, derived once from LoadOptions (or from the
// synthetic-client settings). Times are CLOCK_MONOTONIC nanoseconds (runviz_now_ns).
//
// Client numbering: slot s of worker w drives client `firstClient + s·clientStride`, so clients are dealt
// round-robin over the workers and every client number is unique in the run.

/// What one worker does, fixed before it starts.
struct WorkerPlan: Sendable {
    var index: Int
    var target: LoadTarget
    var scenario: LoadScenario
    var messageSize: Int
    /// Nanoseconds between message starts of one client; 0 for unlimited.
    var rateIntervalNs: UInt64
    /// Round trips per client; 0 for no count.
    var countPerClient: UInt64
    var firstClient: Int
    var clientStride: Int
    /// Client slots this worker owns.
    var slotCount: Int
    /// Clients in the whole run (for the ramp schedule).
    var totalClients: Int
    var startNs: UInt64
    /// Client with global number g connects at startNs + rampNs·g / totalClients.
    var rampNs: UInt64
    /// No new message starts at or after this time (UInt64.max: none).
    var deadlineNs: UInt64
    /// After the deadline, in-flight echoes get this long before they count as timeouts.
    var drainNs: UInt64
    /// After stop(), in-flight echoes get this long; leftovers are not errors.
    var stopGraceNs: UInt64
    var ioTimeoutNs: UInt64
    var connectTimeoutNs: UInt64
    /// nil: a client that fails stays down (load runs). Otherwise: reconnect after this delay.
    var reconnectDelayNs: UInt64?
    var maxConnectsInFlight: Int
    /// Synthetic clients: the number of slots in play follows LoadControl.targetClients.
    var followsTarget: Bool
    /// Spread first messages of rate-limited clients over one interval (so they do not beat in step).
    var staggerFirstMessage: Bool

    /// Global client number of a slot.
    func client(ofSlot slot: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: firstClient + slot * clientStride)
    }

    /// When the ramp admits a slot.
    func admitNs(ofSlot slot: Int) -> UInt64 {
        guard rampNs > 0, totalClients > 0 else { return startNs }
        let global = UInt64(firstClient + slot * clientStride)
        return startNs + rampNs / UInt64(totalClients) * global
            + (rampNs % UInt64(totalClients)) * global / UInt64(totalClients)
    }
}
