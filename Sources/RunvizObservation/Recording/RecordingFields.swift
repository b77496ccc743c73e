// How each recorded type is laid out, writer and reader side by side so they cannot drift
// apart: a field added to a type must be added to both here (and `RecordingFormat.version`
// bumped), or the round-trip tests fail. Enums travel as explicit wire codes; a code this
// reader does not know is corruption, never a trap.

import RunvizTelemetry

extension RuntimeEvent.Kind {
    /// The wire code of each kind: fixed forever, whatever the declaration order (format 1 has codes
    /// 0–17; format 2 added 18 and 19).
    var wireCode: UInt8 {
        switch self {
        case .spawned: return 0
        case .scheduled: return 1
        case .runStarted: return 2
        case .runFinished: return 3
        case .parked: return 4
        case .completed: return 5
        case .cancelled: return 6
        case .fdRegistered: return 7
        case .fdReady: return 8
        case .fdDeregistered: return 9
        case .workerParked: return 10
        case .workerUnparked: return 11
        case .workerBlocked: return 12
        case .stole: return 13
        case .blockingStarted: return 14
        case .blockingFinished: return 15
        case .timerFired: return 16
        case .wrote: return 17
        case .handleAwaited: return 18
        case .handleDropped: return 19
        }
    }

    /// The first format whose recordings may hold this kind.
    var sinceFormat: UInt16 { wireCode >= 18 ? 2 : 1 }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 0: self = .spawned
        case 1: self = .scheduled
        case 2: self = .runStarted
        case 3: self = .runFinished
        case 4: self = .parked
        case 5: self = .completed
        case 6: self = .cancelled
        case 7: self = .fdRegistered
        case 8: self = .fdReady
        case 9: self = .fdDeregistered
        case 10: self = .workerParked
        case 11: self = .workerUnparked
        case 12: self = .workerBlocked
        case 13: self = .stole
        case 14: self = .blockingStarted
        case 15: self = .blockingFinished
        case 16: self = .timerFired
        case 17: self = .wrote
        case 18: self = .handleAwaited
        case 19: self = .handleDropped
        default: return nil
        }
    }
}

extension WorkerActivity {
    var wireCode: UInt8 {
        switch self {
        case .searching: return 0
        case .running: return 1
        case .parked: return 2
        case .parkedInDriver: return 3
        case .blockedOnLock: return 4
        case .stopped: return 5
        }
    }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 0: self = .searching
        case 1: self = .running
        case 2: self = .parked
        case 3: self = .parkedInDriver
        case 4: self = .blockedOnLock
        case 5: self = .stopped
        default: return nil
        }
    }
}

extension EchoSnapshot.Mode {
    var wireCode: UInt8 {
        switch self {
        case .tasks: return 0
        case .threads: return 1
        }
    }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 0: self = .tasks
        case 1: self = .threads
        default: return nil
        }
    }
}

extension DemoRun.Demo {
    /// The wire code of each demo (format 2 on), whatever the declaration order.
    var wireCode: UInt8 {
        switch self {
        case .spawn: return 0
        case .blockWorker: return 1
        case .blockOnPool: return 2
        case .clients: return 3
        case .join: return 4
        case .channel: return 5
        case .lock: return 6
        case .serverMode: return 7
        case .lazy: return 8
        }
    }
}

// MARK: - Setup

extension ByteWriter {
    mutating func setup(_ s: ObservedSetup) {
        int(s.configuration.workers)
        int(s.configuration.maxBlockingThreads)
        u64(s.configuration.blockedThresholdNanos)
        bool(s.configuration.instrumentation)
        u64(s.startedAt)
        string(s.echoAddress)
        f64(s.eventCostNanos)
        bool(s.configuration.globalExecutor)
    }
}

extension ByteReader {
    mutating func setup(version: UInt16) throws(RecordingError) -> ObservedSetup {
        var configuration = ConfigurationSummary(
            workers: try int(), maxBlockingThreads: try int(), blockedThresholdNanos: try u64(),
            instrumentation: try bool())
        let startedAt = try u64()
        let address = try string()
        let cost = try f64()
        // Format 3 added whether the runtime was the process's global executor.
        if version >= 3 { configuration.globalExecutor = try bool() }
        return ObservedSetup(
            configuration: configuration, startedAt: startedAt, echoAddress: address, eventCostNanos: cost)
    }
}

// MARK: - Events and names

extension ByteWriter {
    /// Format 4 on: the events as a count, then their CompactEvents bytes (u32 length first),
    /// encoded against `base`, the observation's time.
    mutating func compactEvents(_ events: [RuntimeEvent], base: UInt64) {
        count(events.count)
        let start = bytes.count
        u32(0)
        CompactEvents.encode(events, base: base, into: &bytes)
        let length = UInt32(truncatingIfNeeded: bytes.count - start - 4)
        for i in 0..<4 { bytes[start + i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
    }

    /// Formats 1–3: the events in one go, 32 bytes each: the array grows once and each event is
    /// four 8-byte stores.
    mutating func events(_ events: [RuntimeEvent]) {
        count(events.count)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: events.count * RecordingFormat.eventBytes))
        bytes.withUnsafeMutableBytes { raw in
            var offset = start
            for e in events {
                raw.storeBytes(of: e.time.littleEndian, toByteOffset: offset, as: UInt64.self)
                raw.storeBytes(of: e.task.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
                raw.storeBytes(of: e.arg.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
                // kind (u8), worker (u8), detail (u16), extra (u32), little-endian in one word.
                let packed =
                    UInt64(e.kind.wireCode) | UInt64(e.worker) << 8 | UInt64(e.detail) << 16 | UInt64(e.extra) << 32
                raw.storeBytes(of: packed.littleEndian, toByteOffset: offset + 24, as: UInt64.self)
                offset += RecordingFormat.eventBytes
            }
        }
    }

    mutating func names(_ names: [String]) {
        count(names.count)
        for name in names { string(name) }
    }
}

extension ByteReader {
    /// Format 4 on: a count, then CompactEvents bytes that must decode to exactly that many events.
    mutating func compactEvents(base: UInt64) throws(RecordingError) -> [RuntimeEvent] {
        // The smallest compact event is two bytes: its head and its time.
        let n = try count(minimumBytes: RecordingFormat.compactEventMinimumBytes)
        let length = try count(minimumBytes: 1)
        let at = position
        var events: [RuntimeEvent] = []
        events.reserveCapacity(n)
        let sound = try withBytes(length) { CompactEvents.decode($0, base: base, limit: n, into: &events) }
        guard sound else { throw corrupt("events not a valid compact encoding", back: position - at) }
        guard events.count == n else {
            throw corrupt("\(events.count) events where the block says \(n)", back: position - at)
        }
        return events
    }

    mutating func events() throws(RecordingError) -> [RuntimeEvent] {
        let n = try count(minimumBytes: RecordingFormat.eventBytes)
        var events: [RuntimeEvent] = []
        events.reserveCapacity(n)
        for _ in 0..<n {
            let time = try u64()
            let task = try u64()
            let arg = try u64()
            let code = try u8()
            guard let kind = RuntimeEvent.Kind(wireCode: code) else {
                throw corrupt("unknown event kind \(code)", back: 1)
            }
            events.append(
                RuntimeEvent(
                    time: time, kind: kind, task: task, worker: try u8(), detail: try u16(), arg: arg,
                    extra: try u32()))
        }
        return events
    }

    mutating func names() throws(RecordingError) -> [String] {
        let n = try count(minimumBytes: 4)
        var names: [String] = []
        names.reserveCapacity(n)
        for _ in 0..<n { names.append(try string()) }
        return names
    }
}

// MARK: - Counters and echo

/// Bytes one worker takes on the wire: seven 8-byte fields, the activity, two more.
let workerWireBytes = 65

extension ByteWriter {
    mutating func counters(_ c: CounterReading) {
        count(c.workers.count)
        for w in c.workers {
            int(w.index)
            u64(w.runs)
            u64(w.busyNanos)
            u64(w.steals)
            u64(w.parks)
            int(w.localQueueDepth)
            u8(w.activity.wireCode)
            u64(w.currentTask)
            u64(w.jobStartedAt)
        }
        int(c.injectQueueDepth)
        int(c.blockingPool.threads)
        int(c.blockingPool.busy)
        int(c.blockingPool.queued)
        u64(c.blockingPool.completed)
        u64(c.tasksSpawned)
        u64(c.tasksFinished)
        u64(c.droppedEvents)
        bool(c.eventsEnabled)
    }

    mutating func echo(_ e: EchoReading) {
        u64(e.echoes)
        u64(e.bytes)
        int(e.openTasks)
        int(e.openThreads)
        u64(e.accepted)
        u64(e.connectionErrors)
        u64(e.acceptBackoffs)
        u8(e.mode.wireCode)
    }
}

extension ByteReader {
    mutating func counters() throws(RecordingError) -> CounterReading {
        let n = try count(minimumBytes: workerWireBytes)
        var workers: [CounterReading.Worker] = []
        workers.reserveCapacity(n)
        for _ in 0..<n {
            let index = try int()
            let runs = try u64()
            let busy = try u64()
            let steals = try u64()
            let parks = try u64()
            let depth = try int()
            let code = try u8()
            guard let activity = WorkerActivity(wireCode: code) else {
                throw corrupt("unknown worker activity \(code)", back: 1)
            }
            workers.append(
                CounterReading.Worker(
                    index: index, runs: runs, busyNanos: busy, steals: steals, parks: parks, localQueueDepth: depth,
                    activity: activity, currentTask: try u64(), jobStartedAt: try u64()))
        }
        return CounterReading(
            workers: workers, injectQueueDepth: try int(),
            blockingPool: BlockingPoolSnapshot(
                threads: try int(), busy: try int(), queued: try int(), completed: try u64()),
            tasksSpawned: try u64(), tasksFinished: try u64(), droppedEvents: try u64(), eventsEnabled: try bool())
    }

    mutating func echo() throws(RecordingError) -> EchoReading {
        var reading = EchoReading(
            echoes: try u64(), bytes: try u64(), openTasks: try int(), openThreads: try int(), accepted: try u64(),
            connectionErrors: try u64(), acceptBackoffs: try u64())
        let code = try u8()
        guard let mode = EchoSnapshot.Mode(wireCode: code) else { throw corrupt("unknown echo mode \(code)", back: 1) }
        reading.mode = mode
        return reading
    }
}

// MARK: - Process and demos

extension ByteWriter {
    mutating func process(_ p: ProcessSnapshot) {
        u64(p.residentBytes)
        u64(p.virtualBytes)
        int(p.threads)
        f64(p.cpuPercent)
        f64(p.uiCPUPercent)
        optional(p.perTaskConnection) { $0.connectionCost($1) }
        optional(p.perThreadConnection) { $0.connectionCost($1) }
    }

    mutating func connectionCost(_ c: ConnectionCost) {
        f64(c.residentBytes)
        f64(c.virtualBytes)
        int(c.connections)
    }

    mutating func demos(_ d: DemoSnapshot) {
        optional(d.join) { w, j in
            w.int(j.firstMillis)
            w.int(j.secondMillis)
            w.optional(j.concurrentNanos) { $0.u64($1) }
            w.optional(j.sequentialNanos) { $0.u64($1) }
            w.u64(j.startedAt)
        }
        optional(d.lock) { w, l in
            w.bool(l.blocking)
            w.int(l.tasks)
            w.int(l.finished)
            w.optional(l.mutexID) { $0.u32($1) }
            w.optional(l.holder) { $0.u64($1.raw) }
            w.optional(l.elapsedNanos) { $0.u64($1) }
            w.u64(l.startedAt)
            w.int(l.gaveUp)
        }
        optional(d.channel) { w, c in
            w.u32(c.id)
            w.int(c.capacity)
            w.int(c.buffered)
            w.int(c.sent)
            w.int(c.received)
            w.int(c.total)
            w.u64(c.startedAt)
        }
        optional(d.lastAction) { $0.string($1) }
        optional(d.current) { $0.demoRun($1) }
    }

    mutating func demoRun(_ run: DemoRun) {
        u8(run.demo.wireCode)
        switch run.demo {
        case .spawn(let count): int(count)
        case .clients(let change, let running):
            int(change)
            int(running)
        case .lock(let blocking): bool(blocking)
        case .serverMode(let mode): u8(mode.wireCode)
        case .lazy(let hogs): int(hogs)
        case .blockWorker, .blockOnPool, .join, .channel: break
        }
        u64(run.startedAt)
        u32(UInt32(run.tasks.count))
        for task in run.tasks { u64(task.raw) }
        int(run.finished)
        optional(run.endsAt) { $0.u64($1) }
    }
}

extension ByteReader {
    mutating func process() throws(RecordingError) -> ProcessSnapshot {
        ProcessSnapshot(
            residentBytes: try u64(), virtualBytes: try u64(), threads: try int(), cpuPercent: try f64(),
            uiCPUPercent: try f64(),
            perTaskConnection: try optional { r throws(RecordingError) in try r.connectionCost() },
            perThreadConnection: try optional { r throws(RecordingError) in try r.connectionCost() })
    }

    mutating func connectionCost() throws(RecordingError) -> ConnectionCost {
        ConnectionCost(residentBytes: try f64(), virtualBytes: try f64(), connections: try int())
    }

    /// `version`: the stream's format; the demo key pressed last travels from format 2 on.
    mutating func demos(version: UInt16) throws(RecordingError) -> DemoSnapshot {
        let join = try optional { r throws(RecordingError) in
            DemoSnapshot.Join(
                firstMillis: try r.int(), secondMillis: try r.int(),
                concurrentNanos: try r.optional { r throws(RecordingError) in try r.u64() },
                sequentialNanos: try r.optional { r throws(RecordingError) in try r.u64() }, startedAt: try r.u64())
        }
        let lock = try optional { r throws(RecordingError) in
            DemoSnapshot.Lock(
                blocking: try r.bool(), tasks: try r.int(), finished: try r.int(),
                mutexID: try r.optional { r throws(RecordingError) in try r.u32() },
                holder: try r.optional { r throws(RecordingError) in TaskID(try r.u64()) },
                elapsedNanos: try r.optional { r throws(RecordingError) in try r.u64() }, startedAt: try r.u64(),
                gaveUp: version >= 2 ? try r.int() : 0)
        }
        let channel = try optional { r throws(RecordingError) in
            DemoSnapshot.Channel(
                id: try r.u32(), capacity: try r.int(), buffered: try r.int(), sent: try r.int(),
                received: try r.int(), total: try r.int(), startedAt: try r.u64())
        }
        let lastAction = try optional { r throws(RecordingError) in try r.string() }
        let current = version >= 2 ? try optional { r throws(RecordingError) in try r.demoRun() } : nil
        return DemoSnapshot(join: join, lock: lock, channel: channel, lastAction: lastAction, current: current)
    }

    mutating func demoRun() throws(RecordingError) -> DemoRun {
        let code = try u8()
        let demo: DemoRun.Demo
        switch code {
        case 0: demo = .spawn(count: try int())
        case 1: demo = .blockWorker
        case 2: demo = .blockOnPool
        case 3: demo = .clients(change: try int(), running: try int())
        case 4: demo = .join
        case 5: demo = .channel
        case 6: demo = .lock(blocking: try bool())
        case 7:
            let mode = try u8()
            guard let m = EchoSnapshot.Mode(wireCode: mode) else { throw corrupt("unknown echo mode \(mode)", back: 1) }
            demo = .serverMode(m)
        case 8: demo = .lazy(hogs: try int())
        default: throw corrupt("unknown demo \(code)", back: 1)
        }
        let startedAt = try u64()
        let count = try count(minimumBytes: 8)
        var tasks: [TaskID] = []
        tasks.reserveCapacity(count)
        for _ in 0..<count { tasks.append(TaskID(try u64())) }
        return DemoRun(
            demo: demo, startedAt: startedAt, tasks: tasks, finished: try int(),
            endsAt: try optional { r throws(RecordingError) in try r.u64() })
    }
}
