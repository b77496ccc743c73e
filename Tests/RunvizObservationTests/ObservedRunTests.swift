// Facts about ObservedRun, the observer-and-history body every frame source holds: a frame of the
// past is the history's frame with the history's span and the followed task's steps up to that
// instant; following with a history brings the task's steps since the oldest instant held at once;
// the newest frame is the last frame turn's, or one published at a later update turn; without a
// history there is no past, and following works from the next observation on.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct ObservedRunTests {
    static let ms: UInt64 = 1_000_000
    static let setup = ObservationHistoryTests.setup

    /// A turn every 50 ms for `seconds`, every other one a frame: task 7 spawned in the first, then
    /// one job of it per turn on worker 0.
    static func observations(seconds: Int) -> [Observation] {
        (1...(seconds * 20)).map { i in
            let now = setup.startedAt + UInt64(i) * 50 * ms
            var events: [RuntimeEvent] = []
            if i == 1 { events.append(RuntimeEvent(time: now - 10, kind: .spawned, task: 7, extra: 1)) }
            events.append(RuntimeEvent(time: now - 5, kind: .runStarted, task: 7, worker: 0))
            events.append(RuntimeEvent(time: now - 2, kind: .runFinished, task: 7, worker: 0))
            var counters = CounterReading.idle(workers: 2)
            counters.tasksSpawned = 1
            counters.workers[0].runs = UInt64(i)
            return Observation(
                turn: i % 2 == 0 ? .frame : .update, now: now, events: events, newNames: i == 1 ? ["", "job"] : [],
                counters: counters)
        }
    }

    @Test func aFrameOfThePastCarriesTheSpanAndTheFollowedStepsUpToItsInstant() throws {
        var run = ObservedRun(setup: Self.setup, history: ObservationHistory.Limits())
        var plain = ObservationHistory()
        var observer = Observer(setup: Self.setup)
        let all = Self.observations(seconds: 3)
        for o in all {
            _ = run.take(o)
            plain.record(o, before: observer)
            observer.take(o)
        }
        run.follow(TaskID(7))
        let instant = all[29].now
        let frame = try #require(run.frame(at: instant))
        let span = try #require(run.history)
        #expect(frame.history == span)
        #expect(span.oldest == all[0].now && span.newest == all.last!.now)
        #expect(frame.runtime == plain.frame(at: instant)?.runtime, "the history's frame of that instant")
        let steps = try #require(frame.timeline).entries
        #expect(steps.first?.step == .spawned, "followed since the oldest instant held")
        #expect(steps.allSatisfy { $0.time <= instant })
        #expect(steps.filter { $0.step == .runStarted(worker: 0) }.count == 30, "one job per turn up to the 30th")
        #expect(run.frame(at: Self.setup.startedAt) == nil, "before the history")
        let timeline = try #require(run.workerTimeline(from: all[0].now, to: all[39].now, columns: 20))
        #expect(timeline == plain.workerTimeline(from: all[0].now, to: all[39].now, columns: 20))
    }

    @Test func theNewestFrameIsTheLastFrameTurnsOrOnePublishedAtALaterUpdate() throws {
        var run = ObservedRun(setup: Self.setup, history: ObservationHistory.Limits())
        let none = run.latestFrame()
        #expect(none == nil, "nothing taken yet")
        let all = Self.observations(seconds: 1)
        let update = run.take(all[0])
        #expect(update == nil, "an update turn publishes nothing")
        let taken = run.take(all[1])
        let published = try #require(taken)
        #expect(published.history == run.history)
        let newest = run.latestFrame()
        #expect(newest == published)
        _ = run.take(all[2])
        let later = run.latestFrame()
        let after = try #require(later)
        var expected = run.observer.frame(after: all[2])
        expected.history = run.history
        #expect(after == expected)
        #expect(after != published, "the update turn's readings")
    }

    @Test func withoutAHistoryThereIsNoPastAndFollowingStartsNow() throws {
        var run = ObservedRun(setup: Self.setup, history: nil)
        let all = Self.observations(seconds: 1)
        for o in all[..<10] { _ = run.take(o) }
        run.follow(TaskID(7))
        for o in all[10...] { _ = run.take(o) }
        #expect(run.history == nil)
        #expect(run.frame(at: all[15].now) == nil)
        #expect(run.workerTimeline(from: all[0].now, to: all[19].now, columns: 10) == nil)
        let latest = run.latestFrame()
        let frame = try #require(latest)
        #expect(frame.history == nil)
        let steps = try #require(frame.timeline).entries
        #expect(steps.allSatisfy { $0.time > all[9].now }, "the steps from the next observation on")
        #expect(steps.filter { $0.step == .runStarted(worker: 0) }.count == 10)
    }

    @Test func theIdleFrameIsTheSetupsRuntimeAtItsStart() {
        let frame = ObservedRun.idleFrame(Self.setup)
        #expect(frame.runtime.workers.count == Self.setup.configuration.workers)
        #expect(frame.history == nil)
        #expect(frame.echo.address == Self.setup.echoAddress)
    }
}
