// Facts about how the history spaces its keyframes, on synthetic observations whose costs are
// known to the byte: with memory to spare a keyframe a second; when a keyframe costs as much as
// many seconds of observations and the memory is short, the spacing the memory model gives, with
// the window holding its length and the exact bytes; when the load rises past what the spacing
// was made for, keyframes inside the window go before the window shortens, and every instant held
// still rebuilds the frame shown then.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct KeyframeSpacingTests {
    static let ms: UInt64 = 1_000_000
    static let setup = ObservationHistoryTests.setup

    /// An observer that knows 200 tasks (spawned, never run): a keyframe of it costs
    /// 16,384 + 200 × 700 bytes.
    static func observer() -> Observer {
        var observer = Observer(setup: setup)
        let spawns = (1...200).map {
            RuntimeEvent(time: setup.startedAt + UInt64($0), kind: .spawned, task: UInt64($0))
        }
        observer.take(
            Observation(turn: .update, now: setup.startedAt + ms, events: spawns, counters: .idle(workers: 2)))
        return observer
    }

    static let keyframeBytes = 16_384 + 200 * 700

    /// Turn `i` of a run of frame turns 100 ms apart, each with `parks` events of worker 1 parking
    /// (encoded: 3 bytes, then 2 for each further one).
    static func turn(_ i: Int, parks: Int) -> Observation {
        let now = setup.startedAt + 1_000 * ms + UInt64(i + 1) * 100 * ms
        let events = (0..<parks).map { _ in RuntimeEvent(time: now - 1, kind: .workerParked, worker: 1) }
        return Observation(turn: .frame, now: now, events: events, counters: .idle(workers: 2))
    }

    /// What the history charges a turn of `parks` parkings: 256, 80 per worker, and the encoded
    /// events' allocation (a 32-byte header, malloc's 8, to 16).
    static func turnBytes(parks: Int) -> Int {
        let encoded = parks == 0 ? 0 : 3 + 2 * (parks - 1)
        return 256 + 2 * 80 + (encoded == 0 ? 0 : (32 + encoded + 8 + 15) & ~15)
    }

    @Test func theCostsAreWhatTheHistoryCharges() {
        #expect(ObservationHistory.estimate(Self.observer()) == Self.keyframeBytes)
        var history = ObservationHistory(limits: .init(seconds: 60, bytes: 1 << 30))
        history.record(Self.turn(0, parks: 100), before: Self.observer())
        #expect(history.bytes == Self.keyframeBytes + Self.turnBytes(parks: 100))
        #expect(Self.turnBytes(parks: 100) == 672)
    }

    @Test func withMemoryToSpareAKeyframeASecond() {
        var history = ObservationHistory(limits: .init(seconds: 10, bytes: 1 << 30))
        var observer = Self.observer()
        for i in 0..<300 {
            let o = Self.turn(i, parks: 100)
            history.record(o, before: observer)
            observer.take(o)
        }
        // Keyframes at turns 0, 10, … 290; the oldest kept is the one the next of which (turn 200,
        // 20.1 s) is 10 s old at 30.0 s: turn 190, 19.1 s.
        let span = try! #require(history.span)
        #expect(span.seconds == 10.9)
        #expect(history.keyframeCount == 11)
        #expect(history.bytes == 110 * 672 + 11 * Self.keyframeBytes)
    }

    @Test func whenMemoryIsShortTheKeyframesSpreadAndTheWindowHoldsItsLength() {
        // A turn costs 672 bytes, 6,720 a second; a keyframe 156,384. The memory is set so that
        // the shortest spacing that fits 10 s is 2.95 s (the smaller root of
        // e·S² − (B − e·T − 2c)·S + c·T = 0): a keyframe every 30 turns.
        let e = 6_720.0
        let c = Double(Self.keyframeBytes)
        let spacing = 2.95
        let budget = Int(((e * spacing * spacing + c * 10) / spacing + e * 10 + 2 * c).rounded())
        let limits = ObservationHistory.Limits(seconds: 10, bytes: budget)
        let computed = ObservationHistory.keyframeSpacing(
            bytesPerSecond: e, keyframeBytes: c, limits: limits, shortest: 1)
        #expect(abs(computed - spacing) < 0.001)
        var history = ObservationHistory(limits: limits)
        var observer = Self.observer()
        var frames: [UInt64: DashboardSnapshot] = [:]
        for i in 0..<300 {
            let o = Self.turn(i, parks: 100)
            history.record(o, before: observer)
            frames[o.now] = observer.take(o)
            #expect(history.bytes <= budget, "turn \(i)")
        }
        // Keyframes at turns 0, 30, … 270; at 30.0 s the one at 21.1 s is not yet 10 s old, so
        // the window starts at the one before, 18.1 s: 11.9 s held, 4 keyframes, 120 turns.
        let span = try! #require(history.span)
        #expect(span.seconds == 11.9)
        #expect(history.keyframeCount == 4)
        #expect(history.bytes == 120 * 672 + 4 * Self.keyframeBytes)
        // A seek replays up to 30 turns; every instant held rebuilds the frame shown then.
        for (at, frame) in frames where at >= span.oldest {
            let same = history.frame(at: at) == frame
            #expect(same, "instant \(at)")
        }
    }

    @Test func whenTheLoadRisesKeyframesInsideTheWindowGoBeforeTheWindowShortens() {
        // Spaced for 100 parkings a turn (2.95 s), then 400 a turn: the window's turns cost
        // 1.9 times as much, over the memory, so keyframes inside it are dropped.
        let e = 6_720.0
        let c = Double(Self.keyframeBytes)
        let budget = Int(((e * 2.95 * 2.95 + c * 10) / 2.95 + e * 10 + 2 * c).rounded())
        var history = ObservationHistory(limits: .init(seconds: 10, bytes: budget))
        var observer = Self.observer()
        var frames: [UInt64: DashboardSnapshot] = [:]
        var fewest = Int.max
        for i in 0..<300 {
            let o = Self.turn(i, parks: i < 150 ? 100 : 400)
            history.record(o, before: observer)
            frames[o.now] = observer.take(o)
            #expect(history.bytes <= budget, "turn \(i)")
            if i >= 100, let span = history.span { fewest = min(fewest, Int(span.seconds * 10)) }
        }
        #expect(Self.turnBytes(parks: 400) == 1_264)
        // From turn 100 on (10 s in), the window never held less than its 10 s.
        #expect(fewest >= 100, "\(fewest) tenths of a second")
        let span = try! #require(history.span)
        for (at, frame) in frames where at >= span.oldest {
            let same = history.frame(at: at) == frame
            #expect(same, "instant \(at)")
        }
    }
}
