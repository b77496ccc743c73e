// Facts about the per-connection cost: growth by one kind of connection, the other unchanged,
// divided by how many were added; nothing until 50 were; closing connections moves the baseline;
// growth of both kinds at once measures neither.

import Testing

@testable import RunvizTelemetry

@Suite struct ConnectionCostProbeTests {
    typealias Point = ConnectionCostProbe.Point

    @Test func growthByTasksAloneIsTheTaskCost() {
        var probe = ConnectionCostProbe()
        probe.sample(Point(tasks: 0, threads: 0, resident: 30_000_000, virtual: 300_000_000))
        probe.sample(Point(tasks: 49, threads: 0, resident: 30_100_000, virtual: 300_000_000))
        #expect(probe.perTask == nil, "49 connections are too few to divide by")
        probe.sample(Point(tasks: 500, threads: 0, resident: 31_250_000, virtual: 300_400_000))
        #expect(probe.perTask?.residentBytes == 2_500)
        #expect(probe.perTask?.virtualBytes == 800)
        #expect(probe.perTask?.connections == 500)
        #expect(probe.perThread == nil)
    }

    @Test func closingMovesTheBaselineAndThreadsAreMeasuredFromThere() {
        var probe = ConnectionCostProbe()
        probe.sample(Point(tasks: 100, threads: 0, resident: 40_000_000, virtual: 300_000_000))
        probe.sample(Point(tasks: 0, threads: 0, resident: 39_000_000, virtual: 300_000_000))
        probe.sample(Point(tasks: 0, threads: 100, resident: 40_750_000, virtual: 1_150_000_000))
        #expect(probe.perThread?.residentBytes == 17_500)
        #expect(probe.perThread?.virtualBytes == 8_500_000)
    }

    @Test func bothKindsGrowingAtOnceMeasureNeither() {
        var probe = ConnectionCostProbe()
        probe.sample(Point(tasks: 0, threads: 0, resident: 1, virtual: 1))
        probe.sample(Point(tasks: 100, threads: 100, resident: 5_000_000, virtual: 900_000_000))
        #expect(probe.perTask == nil && probe.perThread == nil)
    }
}
