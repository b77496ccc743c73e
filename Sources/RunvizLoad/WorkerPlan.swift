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

    /// Global client number of a slot.
    func client(ofSlot slot: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: firstClient + slot * clientStride)
    }

    /// How far into its first interval a rate-limited client sends its first message. Clients must not beat
    /// in step: if they did, one loop turn would send every client's message before reading any echo, and
    /// each echo would wait in its socket for the rest of that burst. A load run knows its client count and
    /// spaces them evenly (client g at g/N of the interval); synthetic clients come and go, so they are
    /// spread by a multiplicative hash instead.
    func firstMessageOffsetNs(client: UInt32) -> UInt64 {
        guard rateIntervalNs > 0 else { return 0 }
        let global = UInt64(client)
        if followsTarget || totalClients == 0 { return global &* 2_654_435_761 % rateIntervalNs }
        let clients = UInt64(totalClients)
        return rateIntervalNs / clients * global + rateIntervalNs % clients * global / clients
    }

    /// The slot after `scheduled` for a paced client, at `now`. A client that fell more than an interval
    /// behind (the server stalled) skips the slots it missed rather than bursting to catch up, and keeps
    /// its place in the interval: restarting every late client at `now` would put them all in step after
    /// a stall, beating together from then on (see `firstMessageOffsetNs`).
    func nextStartNs(after scheduled: UInt64, now: UInt64) -> UInt64 {
        let next = scheduled + rateIntervalNs
        guard rateIntervalNs > 0, next + rateIntervalNs < now else { return next }
        return next + (now - next) / rateIntervalNs * rateIntervalNs
    }

    /// When the ramp admits a slot.
    func admitNs(ofSlot slot: Int) -> UInt64 {
        guard rampNs > 0, totalClients > 0 else { return startNs }
        let global = UInt64(firstClient + slot * clientStride)
        return startNs + rampNs / UInt64(totalClients) * global
            + (rampNs % UInt64(totalClients)) * global / UInt64(totalClients)
    }
}
