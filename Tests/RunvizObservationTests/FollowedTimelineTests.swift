// Facts about FollowedTimeline: it records only the followed task; it stays bounded (dropping the
// oldest quarter when full, newest kept) while every step keeps its number and the origin stays the
// first step's time; percentiles are p50/p90/p99 of every poll and latency, by nearest rank.

import Testing

@testable import RunvizObservation

@Suite struct FollowedTimelineTests {
    @Test func itStaysBoundedAndKeepsTheNewestSteps() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        for t in 1...10_000 as ClosedRange<UInt64> {
            timeline.note(7, t, .timerFired)
            timeline.note(8, t, .spawned)
        }
        let kept = try #require(timeline.timeline())
        let entries = kept.entries
        #expect(entries.count <= FollowedTimeline.capacity)
        #expect(entries.last?.time == 10_000)
        #expect(kept.firstIndex + entries.count == 10_000, "every step keeps its number")
        #expect(entries.first?.time == UInt64(kept.firstIndex) + 1)
        #expect(kept.origin == 1, "offsets stay measured from the first step")
        #expect(entries.allSatisfy { $0.step == .timerFired })
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.time < $1.time })
    }

    @Test func percentilesOfEveryPoll() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        for nanos in 1...100 as ClosedRange<UInt64> { timeline.poll(7, nanos: nanos) }
        timeline.poll(8, nanos: 1_000_000)
        let t = try #require(timeline.timeline())
        #expect(t.pollPercentiles == [50, 90, 99])
        #expect(t.latencyPercentiles == [])
    }

    @Test func percentilesAreNearestRank() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        timeline.poll(7, nanos: 18_000)
        timeline.poll(7, nanos: 214_000)
        timeline.latency(7, nanos: 541_000)
        timeline.latency(7, nanos: 1_000)
        let t = try #require(timeline.timeline())
        #expect(t.pollPercentiles == [18_000, 214_000, 214_000])
        #expect(t.latencyPercentiles == [1_000, 541_000, 541_000])
    }

    @Test func pollSamplesStayBounded() throws {
        var timeline = FollowedTimeline()
        timeline.follow(7)
        for nanos in 1...20_000 as ClosedRange<UInt64> { timeline.poll(7, nanos: nanos) }
        let t = try #require(timeline.timeline())
        // Only the newest samples count: the oldest (1…) have been dropped.
        #expect(t.pollPercentiles.allSatisfy { $0 > 20_000 - UInt64(FollowedTimeline.capacity) })
    }
}
