// Facts about FollowedTimeline: it records only the followed task; it stays bounded (dropping the
// older half when full, newest kept); percentiles are p50/p90/p99 of every poll and latency.

import Testing

@testable import RunvizTelemetry

@Suite struct FollowedTimelineTests {
    @Test func itStaysBoundedAndKeepsTheNewestSteps() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        for t in 1...1_000 as ClosedRange<UInt64> {
            timeline.note(7, t, .timerFired)
            timeline.note(8, t, .spawned)
        }
        let entries = try #require(timeline.timeline()).entries
        #expect(entries.count <= FollowedTimeline.capacity)
        #expect(entries.last?.time == 1_000)
        #expect(entries.allSatisfy { $0.step == .timerFired })
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.time < $1.time })
    }

    @Test func percentilesOfEveryPoll() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        for nanos in 1...100 as ClosedRange<UInt64> { timeline.poll(7, nanos: nanos) }
        timeline.poll(8, nanos: 1_000_000)
        let t = try #require(timeline.timeline())
        #expect(t.pollPercentiles == [51, 91, 100])
        #expect(t.latencyPercentiles == [])
    }
}
