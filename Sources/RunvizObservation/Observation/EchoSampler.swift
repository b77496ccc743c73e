// The echo server's rates, from its counters read on the observer's thread: sampled only at the
// aggregator's once-a-second tick, so round trips/s and bytes/s cover the same second as every
// other rate on screen. Both start from zero at the runtime's start, as the aggregator's do.

struct EchoSampler: Equatable {
    private var last = EchoReading()
    private var lastAt: UInt64
    private(set) var roundTripsPerSecond: Double = 0
    private(set) var bytesPerSecond: Double = 0

    init(startedAt: UInt64) { lastAt = startedAt }

    /// Takes `reading` as the sample at `sampledAt` when that is a new tick; otherwise nothing changes.
    mutating func sample(_ reading: EchoReading, at sampledAt: UInt64) {
        guard sampledAt > lastAt else { return }
        let seconds = Double(sampledAt - lastAt) / 1e9
        roundTripsPerSecond = Double(reading.echoes &- last.echoes) / seconds
        bytesPerSecond = Double(reading.bytes &- last.bytes) / seconds
        last = reading
        lastAt = sampledAt
    }

    /// The Echo panel's figures: counts as of `reading`, rates of the last tick.
    func snapshot(_ reading: EchoReading, address: String) -> EchoSnapshot {
        EchoSnapshot(
            address: address, mode: reading.mode, openConnections: reading.openTasks + reading.openThreads,
            taskConnections: reading.openTasks, threadConnections: reading.openThreads,
            totalConnections: reading.accepted, roundTripsPerSecond: roundTripsPerSecond,
            bytesPerSecond: bytesPerSecond, acceptBackoffs: reading.acceptBackoffs,
            connectionErrors: reading.connectionErrors)
    }
}
