// Facts about the recording format when the bytes are sound: a setup and observations covering
// every field (every event kind, every worker activity, optionals present and absent, non-ASCII
// names, demos changing and unchanged, a gap) decode equal to what was encoded; chunking the
// bytes, down to one at a time, gives the same items; an Observer fed the decoded stream builds
// the same frames as one fed the originals; and what a block costs, in bytes.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

/// A stream built by hand, with where each block ends.
enum RecordingFixture {
    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 3, maxBlockingThreads: 8, blockedThresholdNanos: 50_000_000, instrumentation: true),
        startedAt: 1_000_000, echoAddress: "127.0.0.1:7007 ünï", eventCostNanos: 12.5)

    static let kinds = (0...255).compactMap { RuntimeEvent.Kind(rawValue: UInt8($0)) }
    static let activities = (0...255).compactMap { WorkerActivity(rawValue: UInt8($0)) }

    static func event(_ i: Int, _ kind: RuntimeEvent.Kind) -> RuntimeEvent {
        let workers: [UInt8] = [0, 1, 2, RuntimeEvent.injectQueue, RuntimeEvent.noWorker]
        return RuntimeEvent(
            time: 2_000_000 + UInt64(i) * 1_000, kind: kind, task: UInt64(i % 5 + 1),
            worker: workers[i % workers.count],
            detail: i % 3 == 0 ? UInt16.max : UInt16(truncatingIfNeeded: i),
            arg: i % 4 == 0 ? UInt64.max : UInt64(i) << 40,
            extra: i % 2 == 0 ? UInt32.max : UInt32(truncatingIfNeeded: i))
    }

    static func counters(_ turn: Int) -> CounterReading {
        CounterReading(
            workers: (0..<3).map { w in
                CounterReading.Worker(
                    index: w, runs: UInt64(turn * 10 + w), busyNanos: UInt64(turn) * 1_000_000, steals: UInt64(w),
                    parks: UInt64(turn), localQueueDepth: w == 2 ? Int.max : turn,
                    activity: activities[(turn * 3 + w) % activities.count], currentTask: UInt64(w + 1),
                    jobStartedAt: w == 0 ? 0 : 1_500_000)
            }, injectQueueDepth: turn,
            blockingPool: BlockingPoolSnapshot(threads: 2, busy: 1, queued: turn, completed: UInt64(turn * 7)),
            tasksSpawned: UInt64(turn * 5), tasksFinished: UInt64(turn * 2), droppedEvents: UInt64(turn),
            eventsEnabled: turn % 2 == 0)
    }

    static let process = ProcessSnapshot(
        residentBytes: 40 << 20, virtualBytes: 1 << 40, threads: 9, cpuPercent: 123.25, uiCPUPercent: -0.0,
        perTaskConnection: ConnectionCost(residentBytes: 9_000.5, virtualBytes: .infinity, connections: 12))
    static let demos = DemoSnapshot(
        join: DemoSnapshot.Join(firstMillis: 100, secondMillis: 200, concurrentNanos: 200_000_000, startedAt: 3),
        channel: DemoSnapshot.Channel(id: 7, capacity: 4, buffered: 2, sent: 10, received: 8, total: 20, startedAt: 5),
        lastAction: "spawned t42 démo-spawn ✓",
        current: DemoRun(
            demo: .serverMode(.threads), startedAt: 9, tasks: [TaskID(1), TaskID(UInt64.max)], finished: 1, endsAt: 77))

    static var items: [RecordingItem] {
        let half = kinds.count / 2
        var moreProcess = process
        moreProcess.perThreadConnection = ConnectionCost(
            residentBytes: .leastNonzeroMagnitude, virtualBytes: -1, connections: Int.min)
        let lockDemos = DemoSnapshot(
            join: DemoSnapshot.Join(firstMillis: -1, secondMillis: 0, sequentialNanos: 9),
            lock: DemoSnapshot.Lock(
                blocking: true, tasks: 4, finished: 1, mutexID: UInt32.max, holder: TaskID(77), elapsedNanos: 5,
                startedAt: 8),
            current: DemoRun(demo: .clients(change: -10, running: Int.max), startedAt: 8))
        return [
            .observation(
                Observation(
                    turn: .update, now: 2_100_000, events: kinds[..<half].enumerated().map { event($0, $1) },
                    newNames: ["", "echo-conn", "ünïcødé 🚀", "日本語のタスク"], counters: counters(1))),
            .observation(
                Observation(
                    turn: .frame, now: 2_200_000, events: kinds[half...].enumerated().map { event($0 + half, $1) },
                    counters: counters(2),
                    echo: EchoReading(
                        echoes: 10, bytes: 1_000, openTasks: 3, openThreads: 1, accepted: 4, connectionErrors: 1,
                        acceptBackoffs: 2, mode: .threads), observerNanos: 12_345, process: process, demos: demos,
                    syntheticClients: 2)),
            // Process and demos back at their defaults on an update turn, then the same as last frame.
            .observation(Observation(turn: .update, now: 2_300_000, counters: counters(3))),
            .observation(
                Observation(
                    turn: .frame, now: 2_400_000, newNames: ["late"], counters: counters(4), process: process,
                    demos: demos, syntheticClients: 2)),
            .gap(observations: 3, events: 1_000),
            // The same demos again after the gap reset the base; then demos changing.
            .observation(
                Observation(
                    turn: .frame, now: 2_500_000, events: [event(1, .wrote)], counters: counters(5),
                    process: moreProcess, demos: demos, syntheticClients: Int.min)),
            .observation(
                Observation(
                    turn: .frame, now: 2_600_000, counters: counters(6), observerNanos: UInt64.max,
                    process: moreProcess, demos: lockDemos, syntheticClients: Int.max)),
            .gap(observations: 0, events: UInt64.max),
        ]
    }

    /// The stream's bytes and the end offset of the header and of each item's block, in format
    /// `format` (the current one, or 3: events 32 bytes each).
    static func stream(
        _ setup: ObservedSetup = setup, _ items: [RecordingItem] = items, format: UInt16 = RecordingFormat.version
    ) -> (bytes: [UInt8], headerEnd: Int, ends: [Int]) {
        var bytes = RecordingEncoder.header(setup, format: format)
        let headerEnd = bytes.count
        var encoder = RecordingEncoder()
        encoder.format = format
        var ends: [Int] = []
        for item in items {
            bytes += encoder.block(item)
            ends.append(bytes.count)
        }
        return (bytes, headerEnd, ends)
    }

    /// Decodes `bytes` fed in chunks of the sizes `chunk` gives, draining items after each feed.
    static func decode(
        _ bytes: [UInt8], chunk: () -> Int = { Int.max }
    ) throws(RecordingError) -> (setup: ObservedSetup?, items: [RecordingItem], decoder: RecordingDecoder) {
        var decoder = RecordingDecoder()
        var items: [RecordingItem] = []
        var setup: ObservedSetup?
        var at = 0
        repeat {
            let n = min(max(chunk(), 1), bytes.count - at)
            decoder.feed(bytes[at..<at + n])
            at += n
            if setup == nil { setup = try decoder.setup() }
            while let item = try decoder.next() { items.append(item) }
        } while at < bytes.count
        return (setup, items, decoder)
    }
}

/// A seeded generator, so a failing case can be run again.
struct RecordingRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RecordingRoundTripTests {
    @Test func theFixtureCoversEveryKindAndActivity() {
        #expect(RecordingFixture.kinds.count == 20)
        #expect(RecordingFixture.activities.count == 6)
        let events = RecordingFixture.items.flatMap { item -> [RuntimeEvent] in
            if case .observation(let o) = item { return o.events }
            return []
        }
        #expect(Set(events.map(\.kind.rawValue)).count == RecordingFixture.kinds.count)
    }

    @Test func wireCodesAreTheirOwnInverse() {
        for kind in RecordingFixture.kinds { #expect(RuntimeEvent.Kind(wireCode: kind.wireCode) == kind) }
        for activity in RecordingFixture.activities {
            #expect(WorkerActivity(wireCode: activity.wireCode) == activity)
        }
        let known = (0...255).filter { RuntimeEvent.Kind(wireCode: UInt8($0)) != nil }
        #expect(known == Array(0..<20))
    }

    @Test func whatWasEncodedDecodesEqual() throws {
        let (bytes, _, _) = RecordingFixture.stream()
        let (setup, items, decoder) = try RecordingFixture.decode(bytes)
        #expect(setup == RecordingFixture.setup)
        #expect(items == RecordingFixture.items)
        #expect(decoder.pendingBytes == 0)
        #expect(decoder.offset == bytes.count)
    }

    @Test func appendingToOneBufferMakesTheSameBytes() {
        let (bytes, headerEnd, _) = RecordingFixture.stream()
        var encoder = RecordingEncoder()
        var buffer = RecordingEncoder.header(RecordingFixture.setup)
        for item in RecordingFixture.items { encoder.append(item, to: &buffer) }
        #expect(buffer == bytes)
        #expect(Array(buffer[..<RecordingFormat.magic.count]) == Array("RUNVIZ\0R".utf8))
        #expect(buffer[8] == 4 && buffer[9] == 0 && buffer[14] == 0, "version 4, then a setup block")
        #expect(headerEnd == 10 + 9 + 33 + 4 + "127.0.0.1:7007 ünï".utf8.count + 8 + 1)
    }

    @Test func unchangedSlowFieldsAreNotWrittenAgain() {
        var encoder = RecordingEncoder()
        let first = Observation(
            turn: .frame, now: 1, counters: .idle(workers: 1), process: RecordingFixture.process,
            demos: RecordingFixture.demos)
        let full = encoder.block(.observation(first)).count
        let again = encoder.block(.observation(first)).count
        let between = encoder.block(.observation(Observation(turn: .update, now: 2, counters: .idle(workers: 1))))
        #expect(again < full)
        #expect(between.count == again)
    }

    @Test func chunkingChangesNothing() throws {
        let (bytes, _, _) = RecordingFixture.stream()
        let whole = try RecordingFixture.decode(bytes)
        let oneByOne = try RecordingFixture.decode(bytes) { 1 }
        #expect(oneByOne.setup == whole.setup)
        #expect(oneByOne.items == whole.items)
        var rng = RecordingRandom(state: 42)
        for _ in 0..<20 {
            let chunked = try RecordingFixture.decode(bytes) { Int.random(in: 1...97, using: &rng) }
            #expect(chunked.setup == whole.setup)
            #expect(chunked.items == whole.items)
            #expect(chunked.decoder.offset == bytes.count)
        }
    }

    @Test func aLongStreamDropsConsumedBytesAndStillDecodes() throws {
        let events = (0..<3_000).map { RecordingFixture.event($0, RecordingFixture.kinds[$0 % 18]) }
        let items = (0..<8).map { i in
            RecordingItem.observation(
                Observation(turn: .update, now: UInt64(i), events: events, counters: RecordingFixture.counters(i)))
        }
        let (bytes, _, _) = RecordingFixture.stream(RecordingFixture.setup, items)
        #expect(bytes.count > 4 << 16)
        let chunked = try RecordingFixture.decode(bytes) { 4_093 }
        #expect(chunked.items == items)
        #expect(chunked.decoder.offset == bytes.count)
        #expect(chunked.decoder.pendingBytes == 0)
    }

    @Test func anObserverFedTheDecodedStreamBuildsTheSameFrames() throws {
        let (bytes, _, _) = RecordingFixture.stream()
        let decoded = try RecordingFixture.decode(bytes)
        let setup = try #require(decoded.setup)
        func observations(_ items: [RecordingItem]) -> [Observation] {
            items.compactMap { item in
                if case .observation(let o) = item { return o }
                return nil
            }
        }
        var original = Observer(setup: RecordingFixture.setup)
        var replayed = Observer(setup: setup)
        let frames = observations(RecordingFixture.items).compactMap { original.take($0) }
        let again = observations(decoded.items).compactMap { replayed.take($0) }
        #expect(frames.count == 4)
        #expect(again == frames)
        #expect(replayed == original)
    }

    @Test func whatABlockCosts() {
        let four = CounterReading.idle(workers: 4)
        var encoder = RecordingEncoder()
        let empty = encoder.block(.observation(Observation(turn: .update, now: 1, counters: four)))
        #expect(empty.count == 375)
        // Echo traffic: 100 round trips on 100 connections, 10 µs apart (CompactEventsTests lays out
        // what each event takes): the first 28 bytes, each next one 21, 2,107 bytes for 600 events,
        // 3.5 an event, where formats 1–3 took 32.
        let echo = (0..<100).flatMap { i in
            CompactEventsTests.roundTripOfEcho.map { e in
                var next = e
                next.time += UInt64(i) * 10_000
                next.task += UInt64(i) * 10
                if next.arg != 0 { next.arg += UInt64(i) * 10 }
                return next
            }
        }
        let busy = encoder.block(.observation(Observation(turn: .update, now: 1_000_000, events: echo, counters: four)))
        #expect(busy.count - empty.count == 28 + 99 * 21)
        var older = RecordingEncoder()
        older.format = 3
        let olderEmpty = older.block(.observation(Observation(turn: .update, now: 1, counters: four)))
        let olderBusy = older.block(
            .observation(Observation(turn: .update, now: 1_000_000, events: echo, counters: four)))
        #expect(olderEmpty.count == 371)
        #expect(olderBusy.count - olderEmpty.count == 600 * 32)
        #expect(encoder.block(.gap(observations: 1, events: 2)).count == 25)
        let echoed = encoder.block(
            .observation(Observation(turn: .update, now: 3, counters: four, echo: EchoReading(echoes: 1))))
        #expect(echoed.count - empty.count == 57)
    }

    @Test func aFormat3StreamStillReadsTheSame() throws {
        let (v4, _, _) = RecordingFixture.stream()
        let (v3, _, _) = RecordingFixture.stream(format: 3)
        #expect(v3[8] == 3 && v4[8] == 4)
        #expect(v3.count > v4.count)
        let decoded = try RecordingFixture.decode(v3)
        #expect(decoded.setup == RecordingFixture.setup)
        #expect(decoded.items == RecordingFixture.items)
        let oneByOne = try RecordingFixture.decode(v3) { 1 }
        #expect(oneByOne.items == RecordingFixture.items)
    }

    @Test func everyKindWithEdgeValuesRoundTripsInFormat4() throws {
        // Each kind with times before and after the observation's, fields at zero and at their
        // largest, tasks and args repeating and not: what the compact encoding shortens and what it
        // writes out.
        var events: [RuntimeEvent] = []
        for (i, kind) in RecordingFixture.kinds.enumerated() {
            events.append(RecordingFixture.event(i, kind))
            events.append(
                RuntimeEvent(time: .max, kind: kind, task: .max, worker: .max, detail: .max, arg: .max, extra: .max))
            events.append(RuntimeEvent(time: 0, kind: kind, task: 0, worker: 0, detail: 0, arg: 0, extra: 0))
            events.append(
                RuntimeEvent(time: 7, kind: kind, task: 0, worker: 3, detail: 6, arg: 1, extra: 1))
        }
        let items: [RecordingItem] = [
            .observation(
                Observation(turn: .frame, now: 2_000_000, events: events, counters: RecordingFixture.counters(1))),
            .observation(
                Observation(turn: .update, now: 0, events: events.reversed(), counters: RecordingFixture.counters(2))),
            .observation(Observation(turn: .update, now: .max, events: events, counters: RecordingFixture.counters(3))),
        ]
        let (bytes, _, _) = RecordingFixture.stream(RecordingFixture.setup, items)
        #expect(bytes[8] == 4)
        let decoded = try RecordingFixture.decode(bytes)
        #expect(decoded.items == items)
        #expect(Set(events.map(\.kind)).count == RecordingFixture.kinds.count)
    }

    @Test func anObservationTooLargeForABlockKeepsItsNamesAndCountsItsEvents() throws {
        var encoder = RecordingEncoder()
        encoder.blockLimit = 1_000
        let events = (0..<200).map { RecordingFixture.event($0, .runStarted) }
        let o = Observation(turn: .frame, now: 5, events: events, newNames: ["a", "b"], counters: .idle(workers: 3))
        var stripped = o
        stripped.events = []
        var bytes = RecordingEncoder.header(RecordingFixture.setup)
        bytes += encoder.block(.observation(o))
        let huge = Observation(
            turn: .update, now: 6, newNames: [String(repeating: "x", count: 2_000)], counters: o.counters)
        bytes += encoder.block(.observation(huge))
        let decoded = try RecordingFixture.decode(bytes)
        #expect(
            decoded.items == [
                .gap(observations: 0, events: 200), .observation(stripped), .gap(observations: 1, events: 0),
            ])
    }
}

extension RecordingRoundTripTests {
    /// What a task runviz did not start waits on goes through a recording as it was recorded: the
    /// new park kinds keep their codes, and an actor's park keeps its interned class name.
    @Test func parksOnAContinuationAGroupAndAnActorReadBackTheSame() throws {
        let reasons: [ParkReason] = [.continuation, .taskGroup, .actor(name: 1), .join(TaskID(9))]
        let events = reasons.enumerated().map { i, reason in
            let (detail, arg, extra) = reason.encoded
            return RuntimeEvent(
                time: 3_000_000 + UInt64(i), kind: .parked, task: UInt64(i + 1), worker: 0, detail: detail, arg: arg,
                extra: extra)
        }
        let items: [RecordingItem] = [
            .observation(
                Observation(
                    turn: .frame, now: 3_100_000, events: events, newNames: ["", "Inventory"],
                    counters: RecordingFixture.counters(1)))
        ]
        let (bytes, _, _) = RecordingFixture.stream(RecordingFixture.setup, items)
        let (_, decoded, _) = try RecordingFixture.decode(bytes)
        guard case .observation(let observation) = try #require(decoded.first) else {
            Issue.record("no observation decoded")
            return
        }
        let parks = observation.events.compactMap { event -> String? in
            guard case .parked(_, let reason, _, _) = event.fact else { return nil }
            return reason.description(names: observation.newNames)
        }
        #expect(parks == ["continuation", "task group", "actor Inventory", "join t9"])
    }
}
