// Turns the runtime's event stream and counters into RuntimeSnapshots. Runs on one thread (the UI
// or the serve loop), never on a worker. `drain` pulls every ring, merges the per-thread streams by
// time (each ring is already in time order, so a k-way merge, not a sort) and applies each event to
// a model of tasks, fds and pending wakeups; `snapshot` reads that model plus the live counters.
// Work per drain is bounded by the rings' capacity; what the rings dropped is counted, not guessed.
//
// Event → model rules: `scheduled` queues a task and remembers why; `runStarted` resolves that into
// a WakeupChain (source → task → queued behind k → worker, latency); a `parked` event inside a run
// says what the task will wait on when the run ends; a run that ends with no such event means the
// task suspended on something the runtime does not own ("other"), unless it was queued again
// meanwhile (a yield, or a wake that raced the end of the run).

public final class Aggregator {
    public struct Thresholds: Sendable, Equatable {
        /// A single job longer than this marks its worker blocked.
        public var blocked: UInt64
        /// A task polled this long without yielding.
        public var longPoll: UInt64
        /// A task waiting in a run queue this long is starving.
        public var starvation: UInt64
        /// A task parked on nothing the runtime can wake for this long has lost its waker.
        public var lostWaker: UInt64
        public init(
            blocked: UInt64 = 10_000_000, longPoll: UInt64 = 100_000_000, starvation: UInt64 = 50_000_000,
            lostWaker: UInt64 = 1_000_000_000
        ) {
            self.blocked = blocked
            self.longPoll = longPoll
            self.starvation = starvation
            self.lostWaker = lostWaker
        }
    }

    public let hub: TelemetryHub
    public var configuration: ConfigurationSummary
    public var thresholds: Thresholds
    public let startedAt: UInt64
    /// Finished tasks stay visible this long.
    public var finishedRetention: UInt64 = 2_000_000_000

    typealias Lists = (
        tasks: [TaskSnapshot], counts: TaskCounts, queued: [QueuedTask], fds: [FDSnapshot], lostWakers: [TaskSnapshot]
    )
    /// Tasks the last list build found parked with nothing to wake them (for `lints`).
    var lostWakers: [TaskSnapshot] = []
    /// Merge buffers larger than this many events are released after the drain that needed them.
    static let keptBufferEvents = 1 << 15
    /// How often a large model rebuilds its task and fd lists (see `smallModel`).
    public var listRefresh: UInt64 = 250_000_000
    var cachedLists: Lists?
    var lastEvictionAt: UInt64 = 0
    var listsBuiltAt: UInt64 = 0

    var tasks: [UInt64: TaskRecord] = [:]
    var fds: [Int32: FDRecord] = [:]
    /// The last `chainCapacity` wakeup chains, a ring: `chainStart` is the oldest once full.
    var chains: [WakeupChain] = []
    var chainNames: [(UInt32, Bool)] = []
    var chainStart = 0
    private let chainCapacity = 64
    private var merged: [RuntimeEvent] = []
    private var perRing: [[RuntimeEvent]] = []

    var eventsTotal: UInt64 = 0
    var wakesTotal: UInt64 = 0
    private var wakesBySource = [UInt64](repeating: 0, count: WakeSource.allCases.count)
    var finishedTotal: UInt64 = 0

    // Once-per-second samples.
    private var lastSampleAt: UInt64
    private var lastSampleEvents: UInt64 = 0
    private var lastSampleWakes = [UInt64](repeating: 0, count: WakeSource.allCases.count)
    private var lastSampleRuns: [UInt64]
    private var lastSampleBusy: [UInt64]
    var readyHistory: [Int] = []
    var busyHistory: [[Double]]
    var busyRatio: [Double]
    var runsPerSecond: [Double]
    var eventsPerSecond: Double = 0
    var wakesPerSecond: [WakeSource: Double] = [:]
    private var drainNanos: UInt64 = 0
    var aggregatorLoad: Double = 0

    // Lints remembered for a while after the fact.
    var recentLints: [(at: UInt64, lint: Lint)] = []
    let lintMemory: UInt64 = 10_000_000_000

    // The followed task's full timeline.
    public private(set) var followed: UInt64?
    private var followedEntries: [TaskTimeline.Entry] = []
    private var followedPolls: [UInt64] = []
    private var followedLatencies: [UInt64] = []
    private let followCapacity = 256

    public init(
        hub: TelemetryHub, configuration: ConfigurationSummary, startedAt: UInt64, thresholds: Thresholds = Thresholds()
    ) {
        self.hub = hub
        self.configuration = configuration
        self.thresholds = thresholds
        self.startedAt = startedAt
        self.lastSampleAt = startedAt
        let n = hub.workers.count
        lastSampleRuns = [UInt64](repeating: 0, count: n)
        lastSampleBusy = [UInt64](repeating: 0, count: n)
        busyHistory = [[Double]](repeating: [], count: n)
        busyRatio = [Double](repeating: 0, count: n)
        runsPerSecond = [Double](repeating: 0, count: n)
    }

    // MARK: following

    /// Records `task`'s every step from now on (nil: stop). Resets the previous timeline.
    public func follow(_ task: TaskID?) {
        followed = task?.raw
        followedEntries.removeAll(keepingCapacity: true)
        followedPolls.removeAll(keepingCapacity: true)
        followedLatencies.removeAll(keepingCapacity: true)
    }

    public func timeline() -> TaskTimeline? {
        guard let id = followed else { return nil }
        let name = tasks[id].map { nameOf($0, hub.names.all()) } ?? "t\(id)"
        return TaskTimeline(
            task: TaskID(id), name: name, entries: followedEntries,
            pollPercentiles: Self.percentiles(followedPolls), latencyPercentiles: Self.percentiles(followedLatencies))
    }

    static func percentiles(_ values: [UInt64]) -> [UInt64] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        return [0.5, 0.9, 0.99].map { sorted[min(sorted.count - 1, Int(Double(sorted.count) * $0))] }
    }

    @inline(__always)
    private func note(_ id: UInt64, _ time: UInt64, _ step: TaskTimeline.Entry.Step) {
        guard id == followed else { return }
        if followedEntries.count >= followCapacity { followedEntries.removeFirst(followedEntries.count / 2) }
        followedEntries.append(TaskTimeline.Entry(time: time, step: step))
    }

    // MARK: draining

    /// Applies every event recorded since the last drain. Returns how many were applied.
    @discardableResult
    public func drain(now: UInt64) -> Int {
        let rings = hub.rings
        if perRing.count < rings.count {
            perRing.append(contentsOf: repeatElement([], count: rings.count - perRing.count))
        }
        var total = 0
        for (i, ring) in rings.enumerated() {
            perRing[i].removeAll(keepingCapacity: true)
            total += ring.drain { perRing[i].append($0) }
        }
        mergeByTime(count: rings.count, total: total)
        for e in merged { apply(e) }
        eventsTotal &+= UInt64(total)
        // A burst (10,000 clients connecting) must not leave megabytes of merge buffers behind.
        if merged.capacity > Self.keptBufferEvents {
            merged = []
            perRing = perRing.map { _ in [] }
        }
        // A large model looks for finished tasks once a second, not on every drain.
        if tasks.count < Self.smallModel || now &- lastEvictionAt >= 1_000_000_000 {
            evictFinished(now: now)
            lastEvictionAt = now
        }
        sample(now: now)
        return total
    }

    /// Tells the aggregator how long its last drain and snapshot took (the caller's clock), for its load figure.
    public func accountWork(nanos: UInt64) { drainNanos &+= nanos }

    private func mergeByTime(count: Int, total: Int) {
        merged.removeAll(keepingCapacity: true)
        merged.reserveCapacity(total)
        var idx = [Int](repeating: 0, count: count)
        while merged.count < total {
            var best = -1
            var bestTime = UInt64.max
            for r in 0..<count where idx[r] < perRing[r].count {
                let t = perRing[r][idx[r]].time
                if t < bestTime {
                    bestTime = t
                    best = r
                }
            }
            if best < 0 { break }
            // Take the whole run of this ring that precedes every other ring's head.
            var second = UInt64.max
            for r in 0..<count where r != best && idx[r] < perRing[r].count {
                second = min(second, perRing[r][idx[r]].time)
            }
            let ring = perRing[best]
            var i = idx[best]
            while i < ring.count && ring[i].time <= second {
                merged.append(ring[i])
                i += 1
            }
            idx[best] = i
        }
    }

    /// Mutates `id`'s record in place (creating it on first sight): one hash lookup, no copy.
    @inline(__always)
    private func update<R>(_ id: UInt64, at time: UInt64, _ body: (inout TaskRecord) -> R) -> R {
        body(
            &tasks[
                id,
                default: TaskRecord(
                    id: id, nameID: 0, named: false, parent: 0, state: .notYetPolled, since: time, spawnedAt: time,
                    lastEvent: time)
            ])
    }

    // swift-format-ignore: CyclomaticComplexity
    func apply(_ e: RuntimeEvent) {
        let t = e.time
        switch e.kind {
        case .spawned:
            update(e.task, at: t) { r in
                r.nameID = e.extra
                r.named = true
                r.parent = e.arg
                r.spawnedAt = t
                r.lastEvent = t
            }
            note(e.task, t, .spawned)

        case .scheduled:
            guard e.task != 0 else { return }
            let source = WakeSource(rawValue: UInt8(truncatingIfNeeded: e.detail)) ?? .other
            let live = update(e.task, at: t) { r -> Bool in
                switch r.state {
                case .completed, .cancelled: return false
                default: break
                }
                r.state = r.polls == 0 ? .notYetPolled : .queued
                r.since = t
                r.lastEvent = t
                r.pendingWake = PendingWake(
                    source: source, argument: e.arg, ahead: Int(e.extra), queue: e.worker, at: t)
                if source != .spawn && source != .yield { r.wakes += 1 }
                return true
            }
            guard live else { return }
            wakesTotal &+= 1
            wakesBySource[Int(source.rawValue)] &+= 1
            note(e.task, t, .scheduled(source: source, queuedBehind: Int(e.extra)))

        case .runStarted:
            guard e.task != 0 else { return }
            let w = Int(e.worker)
            update(e.task, at: t) { r in
                r.state = .running(worker: w)
                r.since = t
                r.runStarted = t
                r.lastEvent = t
                r.polls += 1
                r.lastWorker = w
                r.pendingPark = nil
                guard let wake = r.pendingWake else { return }
                r.pendingWake = nil
                let latency = t &- wake.at
                r.lastLatency = latency
                if e.task == followed { followedLatencies.append(latency) }
                if wake.source != .spawn {
                    var readiness: Interest = []
                    if wake.source == .io, let fd = fds[Int32(truncatingIfNeeded: wake.argument)] {
                        readiness = fd.lastReadiness
                    }
                    appendChain(
                        WakeupChain(
                            source: wake.source, sourceArgument: wake.argument, readiness: readiness,
                            task: TaskID(e.task), taskName: "", queuedBehind: wake.ahead, worker: w,
                            latencyNanos: latency, wokenAt: wake.at),
                        nameID: r.nameID, named: r.named)
                }
                if latency > thresholds.starvation, r.named {
                    remember(
                        t, Lint(kind: .starvation, task: TaskID(e.task), worker: w, message: Self.duration(latency)))
                }
            }
            note(e.task, t, .runStarted(worker: w))

        case .runFinished:
            guard e.task != 0, tasks[e.task] != nil else { return }
            let ran = update(e.task, at: t) { r -> UInt64 in
                let ran = t &- r.runStarted
                r.busyNanos &+= ran
                r.longestPollNanos = max(r.longestPollNanos, ran)
                r.lastEvent = t
                if case .running = r.state {
                    r.state = .parked(r.pendingPark ?? .other)
                    r.since = t
                }
                if ran > thresholds.longPoll, r.named {
                    remember(
                        t,
                        Lint(kind: .longPoll, task: TaskID(e.task), worker: Int(e.worker), message: Self.duration(ran)))
                }
                return ran
            }
            if e.task == followed { followedPolls.append(ran) }
            note(e.task, t, .runFinished(worker: Int(e.worker), nanos: ran))

        case .parked:
            guard e.task != 0 else { return }
            let reason = ParkReason(detail: e.detail, arg: e.arg, extra: e.extra)
            update(e.task, at: t) { r in
                if case .running = r.state {
                    r.pendingPark = reason
                } else if case .queued = r.state {
                    // A wake raced ahead of the park record: the task is already queued again.
                } else {
                    r.state = .parked(reason)
                    r.since = t
                }
                r.lastEvent = t
            }
            switch reason {
            case .join(let target):
                if tasks[target.raw] != nil { tasks[target.raw]!.awaited = true }
            case .io(let fd, let interest):
                // Parking on an fd is how a task leaves its waker (interest) with the reactor.
                // An fd that was never registered cannot wake it: that stays visible as a lost waker.
                if fds[fd] != nil {
                    fds[fd]!.interest.formUnion(interest)
                    fds[fd]!.owner = e.task
                }
                note(e.task, t, .interestRegistered(fd: fd, interest: interest))
            default: break
            }
            note(e.task, t, .parked(reason))

        case .completed, .cancelled:
            guard e.task != 0 else { return }
            update(e.task, at: t) { r in
                r.state = e.kind == .completed ? .completed : .cancelled
                r.since = t
                r.lastEvent = t
            }
            finishedTotal &+= 1
            note(e.task, t, e.kind == .completed ? .completed : .cancelled)

        case .fdRegistered:
            let fd = Int32(truncatingIfNeeded: e.arg)
            fds[fd] = FDRecord(fd: fd, interest: [], owner: e.task)

        case .fdReady:
            let fd = Int32(truncatingIfNeeded: e.arg)
            let readiness = Interest(rawValue: UInt8(truncatingIfNeeded: e.detail))
            if fds[fd] != nil {
                fds[fd]!.timesReady &+= 1
                fds[fd]!.lastReady = t
                fds[fd]!.lastReadiness = readiness
                if e.task != 0 {
                    if readiness.contains(.read) || readiness.contains(.hangup) { fds[fd]!.interest.remove(.read) }
                    if readiness.contains(.write) || readiness.contains(.hangup) { fds[fd]!.interest.remove(.write) }
                }
            }
            if e.task != 0 { note(e.task, t, .fdReady(fd: fd, readiness: readiness)) }

        case .fdDeregistered:
            fds[Int32(truncatingIfNeeded: e.arg)] = nil

        case .workerBlocked:
            remember(
                t,
                Lint(
                    kind: .blockedWorker, task: e.task == 0 ? nil : TaskID(e.task), worker: Int(e.worker),
                    message: Self.duration(t &- e.arg)))

        case .timerFired:
            note(e.task, t, .timerFired)

        case .workerParked, .workerUnparked, .stole, .blockingStarted, .blockingFinished:
            break
        }
    }

    private func appendChain(_ chain: WakeupChain, nameID: UInt32, named: Bool) {
        if chains.count < chainCapacity {
            chains.append(chain)
            chainNames.append((nameID, named))
        } else {
            chains[chainStart] = chain
            chainNames[chainStart] = (nameID, named)
            chainStart = (chainStart + 1) % chainCapacity
        }
    }

    func remember(_ at: UInt64, _ lint: Lint) {
        if let i = recentLints.firstIndex(where: { $0.lint.kind == lint.kind && $0.lint.task == lint.task }) {
            recentLints[i] = (at, lint)
        } else {
            recentLints.append((at, lint))
            if recentLints.count > 32 { recentLints.removeFirst() }
        }
    }

    private func evictFinished(now: UInt64) {
        var gone: [UInt64] = []
        for (id, r) in tasks {
            switch r.state {
            case .completed, .cancelled:
                if now &- r.since > finishedRetention { gone.append(id) }
            case .parked(.other) where !r.named:
                // A child task (async let, task group) whose end the runtime cannot see.
                if now &- r.lastEvent > 5 * finishedRetention { gone.append(id) }
            default: break
            }
        }
        for id in gone { tasks[id] = nil }
    }

    private func sample(now: UInt64) {
        let dt = now &- lastSampleAt
        guard dt >= 1_000_000_000 else { return }
        let counters = hub.readCounters()
        let seconds = Double(dt) / 1e9
        for (i, w) in counters.workers.enumerated() {
            var running: UInt64 = 0
            let started = w.jobStartedAt
            if started != 0 && started < now { running = now - max(started, lastSampleAt) }
            let ratio = min(1, Double(w.busyNanos &- lastSampleBusy[i] &+ running) / Double(dt))
            busyRatio[i] = ratio
            runsPerSecond[i] = Double(w.runs &- lastSampleRuns[i]) / seconds
            busyHistory[i].append(ratio)
            if busyHistory[i].count > 60 { busyHistory[i].removeFirst() }
            lastSampleBusy[i] = w.busyNanos &+ running
            lastSampleRuns[i] = w.runs
        }
        readyHistory.append(counters.readyDepth)
        if readyHistory.count > 60 { readyHistory.removeFirst() }
        eventsPerSecond = Double(eventsTotal &- lastSampleEvents) / seconds
        lastSampleEvents = eventsTotal
        var perSource: [WakeSource: Double] = [:]
        for s in WakeSource.allCases where s != .spawn {
            let i = Int(s.rawValue)
            perSource[s] = Double(wakesBySource[i] &- lastSampleWakes[i]) / seconds
        }
        wakesPerSecond = perSource
        lastSampleWakes = wakesBySource
        aggregatorLoad = Double(drainNanos) / Double(dt)
        drainNanos = 0
        lastSampleAt = now
    }

    func nameOf(_ r: TaskRecord, _ names: [String]) -> String {
        if r.named, Int(r.nameID) < names.count { return names[Int(r.nameID)] }
        return r.parent != 0 ? "child of t\(r.parent)" : "task"
    }
}
