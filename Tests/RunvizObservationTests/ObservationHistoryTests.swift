// Facts about the flight recorder: any instant in the window rebuilds the frame the observer
// published at it, or, after an update turn, the frame published right after that turn; the
// window holds its length (and less than a keyframe span more) and never more than its memory
// (but for the newest keyframe span); instants before it are refused. Events older than the
// window are let go when it moves past them. How keyframes are spaced: KeyframeSpacingTests.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct ObservationHistoryTests {
    static let ms: UInt64 = 1_000_000
    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10 * ms, instrumentation: true),
        startedAt: 1_000 * ms, echoAddress: "127.0.0.1:7878", eventCostNanos: 30)

    /// A turn every 50 ms, every other one a frame; each spawns one task and runs it on worker 0,
    /// so every frame differs from the one before.
    /// `filler` more events per turn that change no model (a worker parking), for memory tests.
    static func observations(seconds: Int, eventsPerTurn: Int = 2, filler: Int = 0) -> [Observation] {
        (1...(seconds * 20)).map { i in
            let now = setup.startedAt + UInt64(i) * 50 * ms
            var events: [RuntimeEvent] = []
            for e in 0..<eventsPerTurn {
                let task = UInt64(i * 1_000 + e)
                events.append(RuntimeEvent(time: now - 2, kind: .spawned, task: task, arg: 0, extra: 0))
                events.append(RuntimeEvent(time: now - 1, kind: .runStarted, task: task, worker: 0))
            }
            for _ in 0..<filler { events.append(RuntimeEvent(time: now - 1, kind: .workerParked, worker: 1)) }
            var counters = CounterReading.idle(workers: 2)
            counters.tasksSpawned = UInt64(i * eventsPerTurn)
            counters.workers[0].runs = UInt64(i)
            return Observation(
                turn: i % 2 == 0 ? .frame : .update, now: now, events: events, newNames: i == 1 ? ["worker"] : [],
                counters: counters, echo: EchoReading(echoes: UInt64(i)))
        }
    }

    @Test func everyInstantInTheWindowRebuildsTheFrameShownThen() {
        var history = ObservationHistory()
        var observer = Observer(setup: Self.setup)
        var live: [(UInt64, DashboardSnapshot)] = []
        let observations = Self.observations(seconds: 4)
        for o in observations {
            history.record(o, before: observer)
            if let frame = observer.take(o) {
                live.append((o.now, frame))
            } else {
                live.append((o.now, observer.frame(after: o)))
            }
        }
        let span = try! #require(history.span)
        #expect(span.oldest == observations[0].now, "the window starts at the first observation")
        for (i, (at, frame)) in live.enumerated() {
            let same = history.frame(at: at) == frame
            #expect(same, "instant \(i)")
            // Until the next turn the view shows this one's frame.
            let between = history.frame(at: at + 20 * Self.ms) == frame
            #expect(between, "between \(i) and the next")
        }
        #expect(history.frame(at: span.oldest - 1) == nil)
        // An update turn's frame carries the readings of that turn.
        #expect(history.frame(at: observations[2].now)?.runtime.workers[0].runs == 3)
    }

    /// A seek builds only the frame it shows: the turns before it are passed, and a large model's
    /// lists (kept `listRefresh`) built on the way are left unread. Every frame still equals the one
    /// shown live, whether the lists were rebuilt for it or kept from an earlier turn.
    @Test func aLargeModelsFramesAreRebuiltTheSameWithoutTheTurnsBefore() throws {
        var history = ObservationHistory()
        var observer = Observer(setup: Self.setup)
        var live: [(UInt64, DashboardSnapshot)] = []
        // 100 tasks a turn: past `smallModel` (2,000) from the 21st turn on.
        let observations = Self.observations(seconds: 3, eventsPerTurn: 100)
        for o in observations {
            history.record(o, before: observer)
            live.append((o.now, observer.take(o) ?? observer.frame(after: o)))
        }
        #expect(observer.aggregator.tasks.count > Aggregator.smallModel)
        let span = try #require(history.span)
        #expect(span.oldest == observations[0].now)
        for (i, (at, frame)) in live.enumerated() {
            let same = history.frame(at: at) == frame
            #expect(same, "instant \(i)")
            let between = history.frame(at: at + 20 * Self.ms) == frame
            #expect(between, "between \(i) and the next")
        }
    }

    @Test func theWindowHoldsItsLengthAndStartsAtAKeyframe() {
        var history = ObservationHistory(limits: .init(seconds: 2, bytes: 1 << 30))
        var observer = Observer(setup: Self.setup)
        var frames: [UInt64: DashboardSnapshot] = [:]
        for o in Self.observations(seconds: 10) {
            history.record(o, before: observer)
            frames[o.now] = observer.take(o) ?? observer.frame(after: o)
        }
        let span = try! #require(history.span)
        // The oldest span goes once the next keyframe is 2 s old: the window holds 2 s to 2 s and a
        // keyframe interval (a second, at this load).
        #expect(span.newest - span.oldest >= 2_000 * Self.ms)
        #expect(span.newest - span.oldest < 2_000 * Self.ms + history.keyframeInterval)
        let oldest = history.frame(at: span.oldest) == frames[span.oldest]
        #expect(oldest)
        #expect(history.frame(at: span.oldest - 1) == nil)
    }

    @Test func theWindowKeepsItsMemoryButForTheNewestKeyframeSpan() {
        let limit = 256 << 10
        var history = ObservationHistory(limits: .init(seconds: 600, bytes: limit))
        var observer = Observer(setup: Self.setup)
        for o in Self.observations(seconds: 20, eventsPerTurn: 0, filler: 200) {
            history.record(o, before: observer)
            observer.take(o)
            #expect(history.bytes <= limit)
        }
        let span = try! #require(history.span)
        // A second of these turns is 20 × (256 + 160 + 448 bytes of events), ~17 KiB, and a
        // keyframe of the models about 16 KiB: 256 KiB holds part of the twenty seconds, and drops
        // a keyframe span at a time.
        #expect(span.seconds >= 5 && span.seconds < 19, "\(span.seconds) s held")
    }

    @Test func eventsOlderThanTheWindowAreLetGoAtOnce() {
        var history = ObservationHistory(limits: .init(seconds: 2, bytes: 1 << 30))
        var observer = Observer(setup: Self.setup)
        let observations = Self.observations(seconds: 20, filler: 100)
        for o in observations {
            history.record(o, before: observer)
            observer.take(o)
        }
        let span = try! #require(history.span)
        let inWindow = observations.filter { $0.now >= span.oldest }.reduce(0) { $0 + $1.events.count }
        // 400 turns: the dropped ones awaiting compaction hold none of their 104 events each.
        #expect(history.heldEvents == inWindow, "\(history.heldEvents) events held, \(inWindow) in the window")
    }
}
