// Facts about the echo rates: they change only at a new tick, cover exactly the time between two
// ticks, fall to zero in a second with no echo, and the snapshot's counts are the reading's own.

import Testing

@testable import RunvizObservation

@Suite struct EchoSamplerTests {
    static let second: UInt64 = 1_000_000_000

    @Test func ratesCoverTheTimeBetweenTwoTicks() {
        var sampler = EchoSampler(startedAt: 0)
        sampler.sample(EchoReading(echoes: 500, bytes: 32_000), at: Self.second / 2)
        #expect(sampler.roundTripsPerSecond == 1_000)
        #expect(sampler.bytesPerSecond == 64_000)
        sampler.sample(EchoReading(echoes: 900, bytes: 64_000), at: Self.second / 2)
        #expect(sampler.roundTripsPerSecond == 1_000, "the same tick again changes nothing")
        sampler.sample(EchoReading(echoes: 900, bytes: 64_000), at: 3 * Self.second / 2)
        #expect(sampler.roundTripsPerSecond == 400)
        sampler.sample(EchoReading(echoes: 900, bytes: 64_000), at: 5 * Self.second / 2)
        #expect(sampler.roundTripsPerSecond == 0, "a second with no echo reads 0, not the last rate")
    }

    @Test func theSnapshotCountsAreTheReadingsOwn() {
        let sampler = EchoSampler(startedAt: 0)
        var reading = EchoReading(openTasks: 3, openThreads: 2, accepted: 9, connectionErrors: 1, acceptBackoffs: 4)
        reading.mode = .threads
        let s = sampler.snapshot(reading, address: "127.0.0.1:1")
        #expect(s.mode == .threads)
        #expect(s.openConnections == 5)
        #expect(s.taskConnections == 3)
        #expect(s.threadConnections == 2)
        #expect(s.totalConnections == 9)
        #expect(s.connectionErrors == 1)
        #expect(s.acceptBackoffs == 4)
        #expect(s.mode == .threads)
    }
}
