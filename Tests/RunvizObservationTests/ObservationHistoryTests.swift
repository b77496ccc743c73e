// Facts about the flight recorder: any instant in the window rebuilds the frame the observer
// published at it, or, after an update turn, the frame published right after that turn; the window never holds more than its length or (but for the newest
// keyframe span) its memory; instants before it are refused; and a seek replays at most one
// keyframe interval. Events older than the window are let go when it moves past them.

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

    @Test func theWindowKeepsItsLengthAndStartsAtAKeyframe() {
        var history = ObservationHistory(limits: .init(seconds: 2, bytes: 1 << 30))
        var observer = Observer(setup: Self.setup)
        var frames: [UInt64: DashboardSnapshot] = [:]
        for o in Self.observations(seconds: 10) {
            history.record(o, before: observer)
            frames[o.now] = observer.take(o) ?? observer.frame(after: o)
        }
        let span = try! #require(history.span)
        #expect(span.newest - span.oldest <= 2_000 * Self.ms)
        #expect(span.newest - span.oldest >= 2_000 * Self.ms - history.keyframeInterval)
        let oldest = history.frame(at: span.oldest) == frames[span.oldest]
        #expect(oldest)
        #expect(history.frame(at: span.oldest - 1) == nil)
    }

    @Test func theWindowKeepsItsMemoryButForTheNewestKeyframeSpan() {
        let limit = 2 << 20
        var history = ObservationHistory(limits: .init(seconds: 600, bytes: limit))
        var observer = Observer(setup: Self.setup)
        for o in Self.observations(seconds: 20, eventsPerTurn: 1, filler: 200) {
            history.record(o, before: observer)
            observer.take(o)
        }
        let span = try! #require(history.span)
        // A second of these turns is 20 × (256 + 202 × 32) bytes, ~135 KiB, plus a keyframe of the
        // models (16 KiB + 700 B per task, and the tasks pile up to 400): 2 MiB holds a few
        // seconds of the twenty, and drops a keyframe span (a second) at a time.
        #expect(span.bytes <= limit)
        #expect(span.seconds >= 2 && span.seconds < 10, "\(span.seconds) s held")
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
        // 400 turns, none compacted yet: before, the 360 dropped ones kept their 104 events each.
        #expect(history.heldEvents == inWindow, "\(history.heldEvents) events held, \(inWindow) in the window")
    }
}
