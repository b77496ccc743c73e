// The flight recorder: the observations of the last `seconds` (at most `bytes` of memory), and
// keyframes — copies of the Observer taken just before an observation, about one per
// `keyframeInterval` — from which the frame of any instant in the window is rebuilt: the nearest
// keyframe at or before it, then the observations after it up to the instant. When the last of
// them is a frame turn, its frame is the one the live view showed then; when it is an update
// turn (a recording made without a view, or a paused one), a frame is published at it, from a
// copy, with the readings of that turn and the process and demos of the last frame turn.
//
// Invariants: observations are in time order; keyframes are in index order and each names the
// observation it precedes; the window always starts at a keyframe (older observations
// are dropped a keyframe span at a time, oldest first), so every instant from `oldest` to `newest`
// can be rebuilt. Memory is estimated, not measured: 32 bytes per event plus a fixed cost per
// observation, and for a keyframe the models it copies (per task and per fd).

import RunvizTelemetry

public struct ObservationHistory: Sendable {
    public struct Limits: Sendable, Equatable {
        /// The longest stretch kept.
        public var seconds: Double
        /// The most memory kept (estimated).
        public var bytes: Int
        public init(seconds: Double = 60, bytes: Int = 64 << 20) {
            self.seconds = seconds
            self.bytes = bytes
        }
    }

    public let limits: Limits
    /// About how often a keyframe is taken (observed time, ns): the bound on a seek's replay.
    public var keyframeInterval: UInt64 = 1_000_000_000

    private struct Keyframe: Sendable {
        /// Absolute index of the frame-turn observation this state precedes.
        var index: Int
        var observer: Observer
        var bytes: Int
    }
    private var observations: [Observation] = []
    /// Observations before this position in `observations` are dropped (compacted now and then).
    private var head = 0
    /// The absolute index of `observations[head]`.
    private var firstIndex = 0
    private var keyframes: [Keyframe] = []
    private var keyframeHead = 0
    public private(set) var bytes = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The instants the window holds, and its memory.
    public var span: HistorySpan? {
        guard keyframeHead < keyframes.count, let last = observations.last else { return nil }
        let oldest = observations[keyframes[keyframeHead].index - firstIndex + head].now
        return HistorySpan(
            oldest: oldest, newest: last.now, bytes: bytes, limitSeconds: limits.seconds, limitBytes: limits.bytes)
    }

    /// Call before `observer` takes `observation`: keeps the observation, and a copy of the
    /// observer as a keyframe when one is due. Then drops what the limits no longer hold.
    public mutating func record(_ observation: Observation, before observer: Observer) {
        let index = firstIndex + observations.count - head
        if isKeyframeDue(at: observation.now) {
            let cost = Self.estimate(observer)
            keyframes.append(Keyframe(index: index, observer: observer, bytes: cost))
            bytes += cost
        }
        // Nothing before the first keyframe can be rebuilt: keep nothing until there is one.
        guard keyframeHead < keyframes.count else { return }
        observations.append(observation)
        bytes += Self.estimate(observation)
        trim(now: observation.now)
    }

    /// The frame of `instant`, rebuilt from the nearest keyframe (nil: outside the window).
    public func frame(at instant: UInt64) -> DashboardSnapshot? {
        guard let k = keyframe(atOrBefore: instant) else { return nil }
        var observer = k.observer
        var frame: DashboardSnapshot?
        var last: Observation?
        var i = k.index - firstIndex + head
        while i < observations.count, observations[i].now <= instant {
            frame = observer.take(observations[i])
            last = observations[i]
            i += 1
        }
        if frame == nil, let last { frame = observer.frame(after: last) }
        return frame
    }

    /// `observer`, following `task` as if it had followed it since the oldest instant held: the
    /// timeline is rebuilt by replaying the whole window from its first keyframe (`observer` must
    /// be the one whose observations this history recorded). nil: stop following.
    public func following(_ task: TaskID?, _ observer: Observer) -> Observer {
        var result = observer
        guard let task, keyframeHead < keyframes.count else {
            result.follow(task)
            return result
        }
        var replay = keyframes[keyframeHead].observer
        replay.follow(task)
        for o in observations[(keyframes[keyframeHead].index - firstIndex + head)...] { replay.take(o) }
        result.adoptTimeline(of: replay)
        return result
    }

    private func isKeyframeDue(at now: UInt64) -> Bool {
        guard let last = keyframes.last else { return true }
        let lastAt = observations[last.index - firstIndex + head].now
        return now &- lastAt >= keyframeInterval
    }

    private func keyframe(atOrBefore instant: UInt64) -> Keyframe? {
        var found: Keyframe?
        // Few keyframes (one a second over a minute): a backward scan is enough.
        for k in keyframes[keyframeHead...].reversed() {
            if observations[k.index - firstIndex + head].now <= instant {
                found = k
                break
            }
        }
        return found
    }

    /// Drops the oldest keyframe span while the window is over its length or its memory, keeping
    /// at least the newest keyframe and what follows it.
    private mutating func trim(now: UInt64) {
        let window = UInt64(max(0, limits.seconds) * 1e9)
        while keyframes.count - keyframeHead >= 2 {
            let oldest = observations[keyframes[keyframeHead].index - firstIndex + head].now
            guard bytes > limits.bytes || now &- oldest > window else { break }
            let next = keyframes[keyframeHead + 1].index
            let drop = next - firstIndex
            for i in head..<(head + drop) {
                bytes -= Self.estimate(observations[i])
                // A dropped entry stays in the array until the next compaction, minutes later at ten
                // frames a second: its events go now, or the process holds them past the limits.
                observations[i].events = []
                observations[i].newNames = []
            }
            bytes -= keyframes[keyframeHead].bytes
            head += drop
            firstIndex = next
            keyframeHead += 1
        }
        // Compact now and then, so dropped entries do not pile up.
        if head > 4096 && head * 2 > observations.count {
            observations.removeFirst(head)
            head = 0
        }
        if keyframeHead > 16 && keyframeHead * 2 > keyframes.count {
            keyframes.removeFirst(keyframeHead)
            keyframeHead = 0
        }
    }

    /// Events held, dropped entries awaiting compaction included.
    var heldEvents: Int { observations.reduce(0) { $0 + $1.events.count } }

    static func estimate(_ o: Observation) -> Int {
        256 + o.events.count * 32 + o.counters.workers.count * 80 + o.newNames.reduce(0) { $0 + 16 + $1.utf8.count }
    }

    /// What a keyframe's copy of the models costs: a task's record, its pending wake and list
    /// entry, about 700 bytes; an fd's about 160 (the measured model cost of the echo server).
    static func estimate(_ observer: Observer) -> Int {
        16_384 + observer.aggregator.tasks.count * 700 + observer.aggregator.fds.count * 160
            + observer.names.reduce(0) { $0 + 16 + $1.utf8.count }
    }

    /// What every worker and blocking-pool thread did over [from, to), in `columns` columns (nil:
    /// nothing of it is held, or the range is empty). Reads the observations from the nearest
    /// keyframe at or before `from` (for the state at `from`, the wakeups and the names of jobs in
    /// the range) up to the first one taken at or after `to`, without copying them.
    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        guard columns > 0, from < to, keyframeHead < keyframes.count, let last = observations.last,
            last.now > from
        else { return nil }
        let k = keyframe(atOrBefore: from) ?? keyframes[keyframeHead]
        let start = k.index - firstIndex + head
        guard start < observations.count, observations[start].now < to else { return nil }
        let setup = k.observer.setup
        var builder = WorkerTimelineBuilder(
            from: from, to: to, columns: columns, workers: setup.configuration.workers,
            blockedThresholdNanos: k.observer.aggregator.thresholds.blocked)
        // Pool jobs that began up to `poolLookback` before the keyframe: which pool threads are busy.
        let lookback = observations[start].now &- min(observations[start].now, Self.poolLookback)
        var early = start
        while early > head, observations[early - 1].now > lookback { early -= 1 }
        for o in observations[early..<start] {
            for e in o.events { builder.takeEarlier(e) }
        }
        var names = k.observer.names
        var i = start
        while i < observations.count {
            let o = observations[i]
            names.append(contentsOf: o.newNames)
            for e in o.events { builder.take(e) }
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
