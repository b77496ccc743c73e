// WorkerPlanTests: paced clients do not beat in step — a load run spaces its clients' first messages
// evenly over one interval, across all its workers; synthetic clients are spread by a hash.

import Testing

@testable import RunvizLoad

@Suite struct WorkerPlanTests {
    @Test func aPacedRunSpacesFirstMessagesEvenlyOverOneInterval() throws {
        let options = LoadOptions(port: 7878, clients: 50, rate: 20, threads: 2)
        let target = try LoadTarget.resolve(host: "127.0.0.1", port: 7878)
        let generator = LoadGenerator(options)
        var offsets: [UInt64] = []
        for worker in 0..<2 {
            let plan = generator.makePlan(worker: worker, threads: 2, target: target, startNs: 1_000)
            #expect(plan.rateIntervalNs == 50_000_000)
            for slot in 0..<plan.slotCount {
                offsets.append(plan.firstMessageOffsetNs(client: plan.client(ofSlot: slot)))
            }
        }
        // 50 clients at 20 msg/s: one first message per millisecond of the 50 ms interval.
        #expect(offsets.sorted() == (0..<50).map { UInt64($0) * 1_000_000 })
    }

    @Test func unpacedClientsStartAtOnce() throws {
        let target = try LoadTarget.resolve(host: "127.0.0.1", port: 7878)
        let plan = LoadGenerator(LoadOptions(clients: 10, threads: 1))
            .makePlan(worker: 0, threads: 1, target: target, startNs: 1_000)
        #expect((0..<10).allSatisfy { plan.firstMessageOffsetNs(client: plan.client(ofSlot: $0)) == 0 })
    }

    @Test func syntheticClientsAreSpreadWithinOneInterval() throws {
        let target = try LoadTarget.resolve(host: "127.0.0.1", port: 7878)
        var plan = LoadGenerator(LoadOptions(clients: 10, rate: 4, threads: 1))
            .makePlan(worker: 0, threads: 1, target: target, startNs: 1_000)
        plan.followsTarget = true
        plan.totalClients = SyntheticClients.maxClients
        let offsets = (0..<10).map { plan.firstMessageOffsetNs(client: UInt32($0)) }
        #expect(offsets.allSatisfy { $0 < plan.rateIntervalNs })
        #expect(Set(offsets).count == 10)
    }

    /// After a stall, late clients skip what they missed and keep their own place in the interval:
    /// two clients 25 ms apart in a 50 ms interval are still 25 ms apart after a 2 s stall.
    @Test func aLateClientSkipsMissedSlotsAndKeepsItsPhase() throws {
        let options = LoadOptions(port: 7878, clients: 2, rate: 20, threads: 1)
        let target = try LoadTarget.resolve(host: "127.0.0.1", port: 7878)
        let plan = LoadGenerator(options).makePlan(worker: 0, threads: 1, target: target, startNs: 0)
        let ms: UInt64 = 1_000_000
        #expect(plan.nextStartNs(after: 100 * ms, now: 120 * ms) == 150 * ms, "on time: the next slot")
        #expect(plan.nextStartNs(after: 100 * ms, now: 170 * ms) == 150 * ms, "one slot late: sends at once")
        let stallEnd = 2_130 * ms
        let a = plan.nextStartNs(after: 100 * ms, now: stallEnd)
        let b = plan.nextStartNs(after: 125 * ms, now: stallEnd + 1 * ms)
        #expect(a <= stallEnd && a + 50 * ms > stallEnd)
        #expect((b - a) % (50 * ms) == 25 * ms, "the two clients are still half an interval apart")
    }
}
