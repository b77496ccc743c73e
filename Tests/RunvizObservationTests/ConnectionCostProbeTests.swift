// Facts about the per-connection cost: the growth across a step of 100 or more connections of one
// kind arriving within 3 s, divided by them; growth while the count stays put (the rewind history
// filling) never moves a figure; the task and thread figures are kept side by side; slow arrivals,
// small steps, mixed steps and steps below the most ever open measure nothing.

import Testing

@testable import RunvizObservation

@Suite struct ConnectionCostProbeTests {
    typealias Point = ConnectionCostProbe.Point
    static let frame: UInt64 = 100_000_000

    /// Ten frames a second from `start`: each point taken 100 ms after the one before.
    struct Frames {
        var probe = ConnectionCostProbe()
        var at: UInt64 = 5_000_000_000

        mutating func next(tasks: Int, threads: Int = 0, resident: UInt64, virtual: UInt64 = 400_000_000) {
            at += ConnectionCostProbeTests.frame
            probe.sample(Point(tasks: tasks, threads: threads, resident: resident, virtual: virtual, at: at))
        }
    }

    @Test func aStepOfTasksIsTheTaskCost() {
        var f = Frames()
        f.next(tasks: 20, resident: 40_000_000)
        f.next(tasks: 150, resident: 40_700_000)
        f.next(tasks: 220, resident: 41_060_000)
        #expect(f.probe.perTask == nil, "still arriving")
        f.next(tasks: 220, resident: 41_080_000, virtual: 400_200_000)
        #expect(f.probe.perTask == ConnectionCost(residentBytes: 5_400, virtualBytes: 1_000, connections: 200))
        #expect(f.probe.perThread == nil)
    }

    @Test func growthWhileConnectionsStayOpenDoesNotMoveTheFigure() {
        var f = Frames()
        f.next(tasks: 0, resident: 40_000_000)
        f.next(tasks: 200, resident: 41_000_000)
        f.next(tasks: 200, resident: 41_000_000)
        let measured = f.probe.perTask
        #expect(measured?.residentBytes == 5_000)
        // A minute of the history filling at 300 KB a second, with the same 200 connections open.
        for second in 1...600 { f.next(tasks: 200, resident: 41_000_000 + UInt64(second) * 30_000) }
        #expect(f.probe.perTask == measured)
    }

    @Test func bothSidesAreKept() {
        var f = Frames()
        f.next(tasks: 200, resident: 40_000_000)
        f.next(tasks: 400, resident: 41_000_000)
        f.next(tasks: 400, resident: 41_000_000, virtual: 400_000_000)
        // `t`, then 200 more served by threads while the tasks stay connected.
        f.next(tasks: 400, threads: 0, resident: 41_500_000, virtual: 400_000_000)
        f.next(tasks: 400, threads: 200, resident: 45_000_000, virtual: 2_800_000_000)
        f.next(tasks: 400, threads: 200, resident: 45_500_000, virtual: 2_815_000_000)
        #expect(f.probe.perTask?.residentBytes == 5_000)
        #expect(f.probe.perThread == ConnectionCost(residentBytes: 20_000, virtualBytes: 12_075_000, connections: 200))
        for _ in 0..<100 { f.next(tasks: 400, threads: 200, resident: 60_000_000, virtual: 2_900_000_000) }
        #expect(f.probe.perTask?.residentBytes == 5_000)
        #expect(f.probe.perThread?.residentBytes == 20_000)
    }

    @Test func clientsArrivingSlowlyOrTooFewMeasureNothing() {
        var f = Frames()
        f.next(tasks: 0, resident: 40_000_000)
        // 300 clients over 15 s (runviz load --ramp 15): a step of 2 per frame never ends within 3 s.
        for i in 1...150 { f.next(tasks: 2 * i, resident: 40_000_000 + UInt64(i) * 50_000) }
        f.next(tasks: 300, resident: 47_500_000)
        #expect(f.probe.perTask == nil)
        // 99 at once: one fewer than a step needs.
        f.next(tasks: 399, resident: 48_000_000)
        f.next(tasks: 399, resident: 48_000_000)
        #expect(f.probe.perTask == nil)
    }

    @Test func bothKindsArrivingOrOneClosingMeasureNeither() {
        var f = Frames()
        f.next(tasks: 0, resident: 1)
        f.next(tasks: 100, threads: 100, resident: 5_000_000, virtual: 1_300_000_000)
        f.next(tasks: 100, threads: 100, resident: 5_000_000, virtual: 1_300_000_000)
        f.next(tasks: 250, threads: 100, resident: 6_000_000, virtual: 1_300_000_000)
        f.next(tasks: 350, threads: 90, resident: 7_000_000, virtual: 1_300_000_000)
        f.next(tasks: 350, threads: 90, resident: 7_000_000, virtual: 1_300_000_000)
        #expect(f.probe.perTask == nil && f.probe.perThread == nil)
    }

    @Test func aStepBelowTheMostEverOpenIsNotMeasured() {
        var f = Frames()
        f.next(tasks: 0, resident: 40_000_000)
        f.next(tasks: 200, resident: 41_000_000)
        f.next(tasks: 200, resident: 41_000_000)
        f.next(tasks: 0, resident: 41_000_000)
        // The same 200 again reuse what the first left: the process does not grow.
        f.next(tasks: 200, resident: 41_000_000)
        f.next(tasks: 200, resident: 41_000_000)
        #expect(f.probe.perTask?.residentBytes == 5_000)
        // 200 beyond the most ever open are measured again.
        f.next(tasks: 400, resident: 42_200_000)
        f.next(tasks: 400, resident: 42_200_000)
        #expect(f.probe.perTask?.residentBytes == 6_000)
    }
}
