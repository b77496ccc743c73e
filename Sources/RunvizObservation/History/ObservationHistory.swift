// The flight recorder: the observations of the last `seconds` (at most `bytes` of memory), and
// keyframes — copies of the Observer taken just before an observation — from which the frame of
// any instant in the window is rebuilt: the nearest keyframe at or before it, then the
// observations after it up to the instant. When the last of them is a frame turn, its frame is
// the one the live view showed then; when it is an update turn (a recording made without a view,
// or a paused one), a frame is published at it, from a copy, with the readings of that turn and
// the process and demos of the last frame turn.
//
// What it holds: each observation with its events in the compact encoding (CompactEvents, a few
// bytes an event), decoded again when a frame is rebuilt or the worker timeline is built. A
// keyframe costs what the models cost (per task and per fd), so at ten thousand connections one
// is worth twenty seconds of events: keyframes are spaced by cost, not only by time. The spacing
// is the shortest (from `keyframeInterval`, a second) with which `seconds` of observations at the
// rate of the last keyframe span, and the keyframes over them, fit the memory (see
// `keyframeSpacing`): a second at light load, tens of seconds at heavy load, where a seek replays
// more. When the window is over its memory anyway (the load rose), keyframes inside it go first
// (the one whose neighbours are closest, in bytes to replay), the oldest span only after them.
//
// Invariants: observations are in time order; keyframes are in index order and each names the
// observation it precedes; the window always starts at a keyframe (older observations are
// dropped a keyframe span at a time, oldest first, once the next keyframe is itself `seconds`
// old, or when the memory asks and no keyframe inside the window may go instead), so every
// instant from `oldest` to `newest` can be rebuilt and the window holds at least `seconds` unless
// the memory limit cut it. Memory is estimated, not measured: the encoded events and a fixed cost
// per observation, and for a keyframe the models it copies (per task and per fd).

import RunvizTelemetry

public struct ObservationHistory: Sendable {
    public struct Limits: Sendable, Equatable {
        /// The shortest stretch kept (the oldest keyframe span goes once the next one is this old).
        public var seconds: Double
        /// The most memory kept (estimated).
        public var bytes: Int
        public init(seconds: Double = 60, bytes: Int = 64 << 20) {
            self.seconds = seconds
            self.bytes = bytes
        }
    }

    public let limits: Limits
    /// The shortest spacing of keyframes (observed time, ns): at light load, the bound on a seek's replay.
    public var keyframeInterval: UInt64 = 1_000_000_000

    private struct Keyframe: Sendable {
        /// Absolute index of the frame-turn observation this state precedes.
        var index: Int
        var observer: Observer
        var bytes: Int
        /// `recordedBytes` when it was taken: what replaying from it to a later one costs.
        var recordedBefore: Int
    }
    /// An observation as held: its events in the compact encoding, the rest as it came.
    private struct Entry: Sendable {
        /// The observation, without its events.
        var observation: Observation
        var events: [UInt8]
        var bytes: Int
    }
    private var entries: [Entry] = []
    /// Entries before this position in `entries` are dropped (compacted now and then).
    private var head = 0
    /// The absolute index of `entries[head]`.
    private var firstIndex = 0
    /// The keyframes of the window, oldest first. A dropped one leaves the array at once: each
    /// holds a copy of the models, megabytes at ten thousand connections.
    private var keyframes: [Keyframe] = []
    public private(set) var bytes = 0
    /// The estimated bytes of every observation ever kept (the keyframes' replay costs are differences of it).
    private var recordedBytes = 0
    /// The encoder's buffer, reused so that an observation's events allocate only their exact bytes.
    private var scratch: [UInt8] = []

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The instants the window holds, and its memory.
    public var span: HistorySpan? {
        guard !keyframes.isEmpty, let last = entries.last else { return nil }
        let oldest = entries[keyframes[0].index - firstIndex + head].observation.now
        return HistorySpan(
            oldest: oldest, newest: last.observation.now, bytes: bytes, limitSeconds: limits.seconds,
            limitBytes: limits.bytes)
    }

    /// Keyframes held (a seek replays from the nearest one).
    public var keyframeCount: Int { keyframes.count }

    /// Call before `observer` takes `observation`: keeps the observation, and a copy of the
    /// observer as a keyframe when one is due. Then drops what the limits no longer hold.
    public mutating func record(_ observation: Observation, before observer: Observer) {
        let index = firstIndex + entries.count - head
        if isKeyframeDue(at: observation.now) {
            let cost = Self.estimate(observer)
            keyframes.append(Keyframe(index: index, observer: observer, bytes: cost, recordedBefore: recordedBytes))
            bytes += cost
        }
        // Nothing before the first keyframe can be rebuilt: keep nothing until there is one.
        guard !keyframes.isEmpty else { return }
        scratch.removeAll(keepingCapacity: true)
        CompactEvents.encode(observation.events, base: observation.now, into: &scratch)
        var kept = observation
        kept.events = []
        var entry = Entry(observation: kept, events: Self.exactCopy(scratch), bytes: 0)
        entry.bytes = Self.estimate(entry)
        entries.append(entry)
        bytes += entry.bytes
        recordedBytes += entry.bytes
        trim(now: observation.now)
    }

    /// `bytes` in an allocation of their own, of their size: `Array(bytes)` would share the
    /// scratch buffer and its capacity, and the next encoding would copy that whole.
    private static func exactCopy(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { copy, count in
            bytes.withUnsafeBufferPointer { copy.baseAddress!.initialize(from: $0.baseAddress!, count: $0.count) }
            count = bytes.count
        }
    }

    /// The observation at `i` (a position in `entries`), its events decoded.
    private func observation(_ i: Int) -> Observation {
        var o = entries[i].observation
        o.events = events(i)
        return o
    }

    /// The events of the observation at `i`, decoded.
    private func events(_ i: Int) -> [RuntimeEvent] {
        var events: [RuntimeEvent] = []
        events.reserveCapacity(entries[i].events.count / 4)
        CompactEvents.decode(entries[i].events, base: entries[i].observation.now, into: &events)
        return events
    }

    /// The frame of `instant`, rebuilt from the nearest keyframe (nil: outside the window).
    /// Only the last observation at or before `instant` is taken as a frame turn; those before it
    /// are passed (`Observer.pass`), which leaves the same state without building their frames.
    public func frame(at instant: UInt64) -> DashboardSnapshot? {
        guard let k = keyframe(atOrBefore: instant) else { return nil }
        var observer = k.observer
        let first = k.index - firstIndex + head
        var end = first
        while end < entries.count, entries[end].observation.now <= instant { end += 1 }
        guard end > first else { return nil }
        let target = entries[end - 1].observation.now
        for i in first..<(end - 1) { observer.pass(observation(i), toward: target) }
        let last = observation(end - 1)
        return observer.take(last) ?? observer.frame(after: last)
    }

    /// `observer`, following `task` as if it had followed it since the oldest instant held: the
    /// timeline is rebuilt by replaying the whole window from its first keyframe (`observer` must
    /// be the one whose observations this history recorded). nil: stop following.
    public func following(_ task: TaskID?, _ observer: Observer) -> Observer {
        var result = observer
        guard let task, !keyframes.isEmpty else {
            result.follow(task)
            return result
        }
        var replay = keyframes[0].observer
        replay.follow(task)
        let target = entries[entries.count - 1].observation.now
        for i in (keyframes[0].index - firstIndex + head)..<entries.count {
            replay.pass(observation(i), toward: target)
        }
        result.adoptTimeline(of: replay)
        return result
    }

    private func isKeyframeDue(at now: UInt64) -> Bool {
        guard let last = keyframes.last else { return true }
        let elapsed = now &- entries[last.index - firstIndex + head].observation.now
        guard elapsed >= keyframeInterval else { return false }
        let seconds = Double(elapsed) / 1e9
        let spacing = Self.keyframeSpacing(
            bytesPerSecond: Double(recordedBytes - last.recordedBefore) / seconds, keyframeBytes: Double(last.bytes),
            limits: limits, shortest: Double(keyframeInterval) / 1e9)
        return seconds >= spacing
    }

    /// The spacing of keyframes (seconds) that fits the limits when observations cost
    /// `bytesPerSecond` and a keyframe `keyframeBytes`: the window holds at most `seconds + S` of
    /// observations and `seconds / S + 2` keyframes, so it needs
    /// `bytesPerSecond × (seconds + S) + keyframeBytes × (seconds / S + 2)`. The shortest spacing
    /// (the fastest seek) that fits `bytes`, not below `shortest`. When none fits, the one that
    /// needs the least memory, `√(seconds × keyframeBytes / bytesPerSecond)`, but no longer than
    /// one whose span of observations costs a quarter of what two keyframes leave of `bytes`: the
    /// memory then cuts the window, a span at a time, and a span must be a small part of it.
    /// Never over `seconds`.
    static func keyframeSpacing(bytesPerSecond e: Double, keyframeBytes c: Double, limits: Limits, shortest: Double)
        -> Double
    {
        let t = max(limits.seconds, shortest)
        guard e > 0 else { return shortest }
        let b = Double(limits.bytes)
        let a = b - e * t - 2 * c
        let discriminant = a * a - 4 * e * c * t
        let spacing =
            a > 0 && discriminant >= 0
            ? (a - discriminant.squareRoot()) / (2 * e) : min((t * c / e).squareRoot(), (b - 2 * c) / (4 * e))
        return min(max(spacing, shortest), t)
    }

    private func keyframe(atOrBefore instant: UInt64) -> Keyframe? {
        var found: Keyframe?
        // Few keyframes (at most one a second over a minute): a backward scan is enough.
        for k in keyframes.reversed() {
            if entries[k.index - firstIndex + head].observation.now <= instant {
                found = k
                break
            }
        }
        return found
    }

    /// Drops the oldest keyframe span once the next keyframe is as old as the window; then, while
    /// over the memory, a keyframe inside the window (the one whose neighbours are closest in bytes
    /// to replay, the oldest of equals; never the oldest two, the next of which takes over when the
    /// oldest span goes, nor the newest), and only with none of those left, the oldest span.
    private mutating func trim(now: UInt64) {
        let window = UInt64(max(0, limits.seconds) * 1e9)
        while keyframes.count >= 2 {
            let next = entries[keyframes[1].index - firstIndex + head].observation.now
            guard now &- next >= window else { break }
            dropOldestSpan()
        }
        while bytes > limits.bytes && keyframes.count >= 2 {
            if keyframes.count >= 4 {
                var thinnest = 2
                var merged = Int.max
                for i in 2..<(keyframes.count - 1) {
                    let cost = keyframes[i + 1].recordedBefore - keyframes[i - 1].recordedBefore
                    if cost < merged {
                        merged = cost
                        thinnest = i
                    }
                }
                bytes -= keyframes[thinnest].bytes
                keyframes.remove(at: thinnest)
            } else {
                dropOldestSpan()
            }
        }
        // Compact now and then, so dropped entries (their counters, process and demos) do not pile up.
        if head > 64 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    private mutating func dropOldestSpan() {
        let next = keyframes[1].index
        let drop = next - firstIndex
        for i in head..<(head + drop) {
            bytes -= entries[i].bytes
            // A dropped entry stays in the array until the next compaction: its events go now, or
            // the process holds them past the limits.
            entries[i].events = []
            entries[i].observation.newNames = []
        }
        bytes -= keyframes[0].bytes
        head += drop
        firstIndex = next
        keyframes.removeFirst()
    }

    /// Events held, dropped entries awaiting compaction included.
    var heldEvents: Int { entries.indices.reduce(0) { $0 + observation($1).events.count } }

    /// An observation held: a fixed cost, its counters and new names, and its encoded events in
    /// their own allocation (a 32-byte array header, malloc's 8 and its rounding to 16).
    private static func estimate(_ e: Entry) -> Int {
        let o = e.observation
        let events = e.events.isEmpty ? 0 : (32 + e.events.count + 8 + 15) & ~15
        return 256 + events + o.counters.workers.count * 80 + o.newNames.reduce(0) { $0 + 16 + $1.utf8.count }
    }

    /// What a keyframe's copy of `observer`'s models costs (estimated).
    public static func modelBytes(_ observer: Observer) -> Int { estimate(observer) }

    /// What a keyframe's copy of the models costs: a task's record, its pending wake and list
    /// entry, about 700 bytes; an fd's about 160 (the measured model cost of the echo server).
    static func estimate(_ observer: Observer) -> Int {
        16_384 + observer.aggregator.tasks.count * 700 + observer.aggregator.fds.count * 160
            + observer.names.reduce(0) { $0 + 16 + $1.utf8.count }
    }

    /// What every worker and blocking-pool thread did over [from, to), in `columns` columns (nil:
    /// nothing of it is held, or the range is empty). Reads the observations from the nearest
    /// keyframe at or before `from` (for the state at `from`, the wakeups and the names of jobs in
    /// the range) up to the first one taken at or after `to`, decoding their events as it goes.
    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        guard columns > 0, from < to, !keyframes.isEmpty, let last = entries.last,
            last.observation.now > from
        else { return nil }
        let k = keyframe(atOrBefore: from) ?? keyframes[0]
        let start = k.index - firstIndex + head
        guard start < entries.count, entries[start].observation.now < to else { return nil }
        let setup = k.observer.setup
        var builder = WorkerTimelineBuilder(
            from: from, to: to, columns: columns, workers: setup.configuration.workers,
            blockedThresholdNanos: k.observer.aggregator.thresholds.blocked)
        // Pool jobs that began up to `poolLookback` before the keyframe: which pool threads are busy.
        let startNow = entries[start].observation.now
        let lookback = startNow &- min(startNow, Self.poolLookback)
        var early = start
        while early > head, entries[early - 1].observation.now > lookback { early -= 1 }
        for i in early..<start {
            for e in events(i) { builder.takeEarlier(e) }
        }
        var names = k.observer.names
        var i = start
        while i < entries.count {
            let o = entries[i].observation
            names.append(contentsOf: o.newNames)
            for e in events(i) { builder.take(e) }
            if i == start { builder.seed(o.counters, at: o.now) }
            if o.now >= to { break }
            i += 1
        }
        let spawnNames = builder.spawnNames
        let tasks = k.observer.aggregator.tasks
        return builder.finish { task in
            if let id = spawnNames[task] { return Int(id) < names.count ? names[Int(id)] : "" }
            return tasks.knownName(of: task, names).flatMap { $0 == "task" ? nil : $0 } ?? ""
        }
    }

    /// How far before its first keyframe a worker timeline looks for blocking-pool jobs still
    /// running: a pool job longer than this that began earlier shows only once it finishes.
    static let poolLookback: UInt64 = 10_000_000_000
}

/// The stretch of the past a frame source can show, and what holding it costs.
public struct HistorySpan: Sendable, Codable, Equatable {
    /// Monotonic ns of the oldest and newest instants that can be shown.
    public var oldest: UInt64
    public var newest: UInt64
    /// Estimated memory held.
    public var bytes: Int
    public var limitSeconds: Double
    public var limitBytes: Int

    public init(oldest: UInt64, newest: UInt64, bytes: Int, limitSeconds: Double, limitBytes: Int) {
        self.oldest = oldest
        self.newest = newest
        self.bytes = bytes
        self.limitSeconds = limitSeconds
        self.limitBytes = limitBytes
    }

    /// Seconds held.
    public var seconds: Double { Double(newest &- oldest) / 1e9 }

    /// `instant` moved into the window.
    public func clamp(_ instant: UInt64) -> UInt64 { min(max(instant, oldest), newest) }
}
