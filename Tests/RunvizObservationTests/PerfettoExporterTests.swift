// Facts about the Perfetto export of a constructed recording: it parses as JSON with every track
// named; slices on one track nest and come in time order; each job is named after its task and
// carries what scheduled it; a job past the blocked threshold holds a BLOCKED slice of exactly the
// part past it; sleeps are "idle" or "epoll_wait"; every flow start has its finish, each bound to a
// slice (the waker's job, the sleep, the marker, the blocking job) and to the woken job's start; a
// gap is an instant, and so are events the rings dropped; user text is escaped. Streaming: the
// same text whatever the chunk size, and a 200,000-event stream leaves the exporter holding a
// handful of entries and under a chunk of text.

import Foundation
import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

enum ExportFixture {
    static let start: UInt64 = 1_000_000
    static let setup = ObservedSetup(
        configuration: ConfigurationSummary(
            workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10_000_000, instrumentation: true),
        startedAt: start, echoAddress: "127.0.0.1:7007", eventCostNanos: 10)
    static let oddName = "say \"hi\"\n\tünï 🚀 \\ \u{1}"

    static func at(_ nanos: UInt64) -> UInt64 { start + nanos }

    static func counters() -> CounterReading {
        CounterReading(
            workers: (0..<2).map { w in
                CounterReading.Worker(
                    index: w, runs: 0, busyNanos: 0, steals: 0, parks: 0, localQueueDepth: 0, activity: .searching,
                    currentTask: 0, jobStartedAt: 0)
            }, injectQueueDepth: 0, blockingPool: BlockingPoolSnapshot(threads: 1, busy: 0, queued: 0, completed: 0),
            tasksSpawned: 0, tasksFinished: 0, droppedEvents: 0, eventsEnabled: true)
    }

    static func scheduled(_ t: UInt64, task: UInt64, _ source: WakeSource, arg: UInt64 = 0, queue: UInt8)
        -> RuntimeEvent
    {
        RuntimeEvent(
            time: at(t), kind: .scheduled, task: task, worker: queue, detail: UInt16(source.rawValue), arg: arg)
    }

    static func run(_ kind: RuntimeEvent.Kind, _ t: UInt64, task: UInt64, on w: UInt8) -> RuntimeEvent {
        RuntimeEvent(time: at(t), kind: kind, task: task, worker: w)
    }

    static var items: [RecordingItem] {
        let park = ParkReason.io(fd: 7, interest: .read).encoded
        let first: [RuntimeEvent] = [
            run(.runStarted, 500, task: 7, on: 0),
            RuntimeEvent(time: at(1_000), kind: .spawned, task: 42, worker: 0, arg: 7, extra: 0),
            scheduled(1_000, task: 42, .spawn, queue: 0),
            RuntimeEvent(time: at(1_500), kind: .workerParked, worker: 1),
            run(.runFinished, 2_000, task: 7, on: 0),
            run(.runStarted, 2_500, task: 42, on: 0),
            RuntimeEvent(
                time: at(3_000), kind: .parked, task: 42, worker: 0, detail: park.detail, arg: park.arg,
                extra: park.extra),
            run(.runFinished, 3_500, task: 42, on: 0),
            RuntimeEvent(time: at(4_000), kind: .workerParked, worker: 0, detail: 1),
            RuntimeEvent(time: at(5_000), kind: .fdReady, task: 42, worker: 0, detail: 1, arg: 7),
            scheduled(5_100, task: 42, .io, arg: 7, queue: 0),
            RuntimeEvent(time: at(6_000), kind: .workerUnparked, worker: 0),
            run(.runStarted, 6_500, task: 42, on: 0),
        ]
        let second: [RuntimeEvent] = [
            // 25 ms: 15 ms past the threshold.
            run(.runFinished, 25_006_500, task: 42, on: 0),
            RuntimeEvent(time: at(29_000_000), kind: .workerUnparked, worker: 1),
            RuntimeEvent(time: at(29_500_000), kind: .spawned, task: 43, worker: 1, extra: 1),
            RuntimeEvent(time: at(30_000_000), kind: .fdReady, task: 43, worker: 1, detail: 1, arg: 9),
            scheduled(30_000_100, task: 43, .io, arg: 9, queue: 1),
            run(.runStarted, 30_001_000, task: 43, on: 1),
            run(.runFinished, 30_002_000, task: 43, on: 1),
            RuntimeEvent(time: at(31_000_000), kind: .blockingStarted, task: 43, arg: 1, extra: 1),
            scheduled(31_500_000, task: 43, .blockingPool, queue: RuntimeEvent.injectQueue),
            RuntimeEvent(time: at(31_600_000), kind: .blockingFinished, task: 43, arg: 1, extra: 1),
            run(.runStarted, 32_000_000, task: 43, on: 1),
            run(.runFinished, 32_100_000, task: 43, on: 1),
            RuntimeEvent(time: at(32_100_000), kind: .completed, task: 43, worker: 1),
            // Queued and never run before the gap: no flow.
            scheduled(32_200_000, task: 44, .task, arg: 43, queue: RuntimeEvent.injectQueue),
        ]
        return [
            .observation(
                Observation(
                    turn: .update, now: at(7_000), events: first, newNames: ["echo-conn", oddName],
                    counters: counters())),
            .observation(Observation(turn: .frame, now: at(33_000_000), events: second, counters: counters())),
            .gap(observations: 2, events: 5),
            .observation(
                Observation(
                    turn: .update, now: at(40_000_000), events: [run(.runStarted, 39_000_000, task: 42, on: 0)],
                    counters: counters())),
        ]
    }

    /// The export's text, in chunks of `chunkBytes`.
    static func export(
        _ items: [RecordingItem] = items, setup: ObservedSetup = setup, chunkBytes: Int = 64 << 10
    ) throws -> (text: [UInt8], chunks: Int) {
        let sink = Collected()
        var exporter = PerfettoExporter(setup: setup, chunkBytes: chunkBytes) {
            sink.bytes += $0; sink.chunks += 1
        }
        for item in items { try exporter.feed(item) }
        try exporter.finish()
        // The text is closed once: nothing more comes out after it.
        try exporter.finish()
        try exporter.feed(items.first ?? .gap(observations: 0, events: 0))
        return (sink.bytes, sink.chunks)
    }

    final class Collected {
        var bytes: [UInt8] = []
        var chunks = 0
    }

    static func events(_ text: [UInt8]) throws -> [[String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any])
        #expect(root["displayTimeUnit"] as? String == "ns")
        return try #require(root["traceEvents"] as? [[String: Any]])
    }
}

/// One event's fields, typed.
struct TraceEvent {
    let raw: [String: Any]
    var ph: String { raw["ph"] as? String ?? "" }
    var name: String { raw["name"] as? String ?? "" }
    var cat: String { raw["cat"] as? String ?? "" }
    var tid: Int { raw["tid"] as? Int ?? -1 }
    var ts: Double { raw["ts"] as? Double ?? .nan }
    var dur: Double { raw["dur"] as? Double ?? .nan }
    var end: Double { ts + dur }
    var id: Int { raw["id"] as? Int ?? -1 }
    var args: [String: Any] { raw["args"] as? [String: Any] ?? [:] }
}

struct PerfettoExporterTests {
    let events: [TraceEvent]

    init() throws {
        events = try ExportFixture.events(ExportFixture.export().text).map(TraceEvent.init)
    }

    func slices(_ tid: Int) -> [TraceEvent] { events.filter { $0.ph == "X" && $0.tid == tid } }

    @Test func everyTrackIsNamed() {
        let names = Dictionary(
            events.filter { $0.ph == "M" && $0.name == "thread_name" }.map {
                ($0.tid, $0.args["name"] as? String ?? "")
            },
            uniquingKeysWith: { a, _ in a })
        #expect(names == [1: "W0", 2: "W1", 900: "other threads", 1_001: "blk1"])
        let process = events.first { $0.ph == "M" && $0.name == "process_name" }
        #expect(process?.args["name"] as? String == "runviz runtime (echo on 127.0.0.1:7007)")
    }

    @Test func jobsAreSlicesNamedAfterTheirTask() {
        let w0 = slices(1).filter { $0.cat == "job" }.map { "\($0.name) \($0.ts)+\($0.dur)" }
        #expect(
            w0 == [
                "t7 0.5+1.5", "t42 echo-conn 2.5+1.0", "t42 echo-conn 6.5+25000.0",
                // Still running at the end: closed at the last observation's time.
                "t42 echo-conn 39000.0+1000.0",
            ])
        let second = slices(1).first { $0.name == "t42 echo-conn" && $0.ts == 2.5 }
        #expect(second?.args["task"] as? Int == 42)
        #expect(second?.args["scheduled by"] as? String == "spawn (its first run)")
        #expect(second?.args["then"] as? String == "parked on fd 7 read")
        #expect(second?.args["waited ns"] as? Int == 1_500)
        let third = slices(1).first { $0.ts == 6.5 }
        #expect(third?.args["scheduled by"] as? String == "fd 7 ready (epoll)")
        let last = slices(1).last
        #expect(last?.args["note"] as? String == "still running when the recording ends")
        let w1 = slices(2).filter { $0.cat == "job" }.map(\.name)
        #expect(w1 == ["t43 \(ExportFixture.oddName)", "t43 \(ExportFixture.oddName)"])
    }

    @Test func aJobPastTheThresholdHoldsABlockedSliceOfThePartPastIt() {
        let blocked = events.filter { $0.name == "BLOCKED" }
        #expect(blocked.count == 1)
        let b = blocked[0]
        #expect(b.ph == "X" && b.tid == 1 && b.cat == "blocked")
        #expect(b.ts == 10_006.5)
        #expect(b.dur == 15_000)
        #expect(b.args["job ns"] as? Int == 25_000_000)
        // It lies inside its job, which ends where it ends.
        let job = slices(1).first { $0.ts == 6.5 }
        #expect(job?.end == b.end)
    }

    @Test func sleepsAreIdleOrEpollWait() {
        let parks = events.filter { $0.cat == "park" }.map { "\($0.tid) \($0.name) \($0.ts)+\($0.dur)" }
        #expect(parks == ["1 epoll_wait 4.0+2.0", "2 idle 1.5+28998.5"])
    }

    @Test func slicesNestAndComeInTimeOrderOnEachTrack() {
        for tid in Set(events.map(\.tid)) {
            let placed = events.filter { $0.tid == tid && ($0.ph == "X" || $0.ph == "i") }
            #expect(zip(placed, placed.dropFirst()).allSatisfy { $0.ts <= $1.ts }, "tid \(tid)")
            var open: [TraceEvent] = []
            for s in slices(tid).sorted(by: { ($0.ts, -$0.dur) < ($1.ts, -$1.dur) }) {
                while let top = open.last, top.end <= s.ts { open.removeLast() }
                if let top = open.last { #expect(s.end <= top.end, "tid \(tid): \(s.name) overlaps \(top.name)") }
                open.append(s)
            }
        }
    }

    @Test func everyFlowStartHasItsFinishBoundToSlices() throws {
        let starts = events.filter { $0.ph == "s" }
        let finishes = events.filter { $0.ph == "f" }
        #expect(Set(starts.map(\.id)).count == starts.count)
        #expect(starts.map(\.id).sorted() == finishes.map(\.id).sorted())
        for s in starts {
            let f = try #require(finishes.first { $0.id == s.id })
            #expect(f.name == s.name && f.cat == s.cat)
            #expect(f.raw["bp"] as? String == "e")
            #expect(slices(s.tid).contains { $0.ts <= s.ts && s.ts <= $0.end }, "start of \(s.name) in no slice")
            #expect(slices(f.tid).contains { $0.cat == "job" && $0.ts == f.ts }, "finish of \(f.name) at no job")
        }
        let flows = starts.map { s in
            let f = finishes.first { $0.id == s.id }!
            return "\(s.name): \(s.tid)@\(s.ts) → \(f.tid)@\(f.ts)"
        }
        #expect(
            flows == [
                // From the parent's job.
                "spawn: 1@1.0 → 1@2.5",
                // From inside epoll_wait on W0 to the job it scheduled.
                "fd 7 ready: 1@5.1 → 1@6.5",
                // From the marker drawn where W1 saw the readiness with nothing open.
                "fd 9 ready: 2@30000.0 → 2@30001.0",
                // From the blocking job that resumed its submitter.
                "blocking job done: 1001@31500.0 → 2@32000.0",
            ])
        #expect(slices(2).contains { $0.name == "fd 9 ready R" && $0.ts == 30_000 && $0.dur == 0 && $0.cat == "wake" })
        #expect(slices(1_001).map(\.name) == ["blocking job 1 for t43 \(ExportFixture.oddName)"])
    }

    @Test func timersStealsAndWakesByAnotherTask() throws {
        typealias F = ExportFixture
        let deadline = F.at(9_000)
        let events: [RuntimeEvent] = [
            RuntimeEvent(time: F.at(10_000), kind: .timerFired, task: 50, worker: 0, arg: deadline),
            F.scheduled(10_100, task: 50, .timer, arg: deadline, queue: 0),
            RuntimeEvent(time: F.at(10_200), kind: .stole, worker: 0, arg: 1, extra: 3),
            F.run(.runStarted, 10_300, task: 50, on: 0),
            F.scheduled(10_400, task: 51, .task, arg: 50, queue: 0),
            RuntimeEvent(time: F.at(10_500), kind: .cancelled, task: 50, worker: 0),
            F.run(.runFinished, 10_600, task: 50, on: 0),
            F.run(.runStarted, 11_000, task: 51, on: 0),
            F.run(.runFinished, 11_100, task: 51, on: 0),
        ]
        let items: [RecordingItem] = [
            .observation(Observation(turn: .update, now: F.at(12_000), events: events, counters: F.counters()))
        ]
        let trace = try F.events(F.export(items).text).map(TraceEvent.init)
        let w0 = trace.filter { $0.tid == 1 && ["X", "i"].contains($0.ph) }.map { "\($0.ph) \($0.name) @\($0.ts)" }
        #expect(w0 == ["X timer fired (t50) @10.0", "i stole 3 from W1 @10.2", "X t50 @10.3", "X t51 @11.0"])
        let t50 = trace.first { $0.name == "t50" }
        #expect(t50?.args["scheduled by"] as? String == "timer expired")
        #expect(t50?.args["then"] as? String == "cancelled")
        let t51 = trace.first { $0.name == "t51" }
        #expect(t51?.args["scheduled by"] as? String == "woken by t50")
        let flows = trace.filter { $0.ph == "s" }.map { "\($0.name) @\($0.ts)" }
        // The timer's flow starts at its marker; the task's inside the waking job.
        #expect(flows == ["timer @10.0", "woken by t50 @10.4"])
    }

    /// A task runviz did not start is sighted at its first run: the enqueue that job resolved was
    /// its creation inside its parent's job, a spawn; its later wakes of no named cause are not.
    @Test func aSightedTasksFirstEnqueueIsItsSpawn() throws {
        typealias F = ExportFixture
        // As the runtime records it: the sighting, then the run's start, at one time.
        var sighting = RuntimeEvent(time: F.at(10_250), kind: .spawned, task: 60, worker: 0, arg: 7, extra: 0)
        sighting.detail = RuntimeEvent.sightedAtRun
        let events: [RuntimeEvent] = [
            F.run(.runStarted, 10_000, task: 7, on: 0),
            F.scheduled(10_100, task: 60, .other, arg: 7, queue: 0),
            F.run(.runFinished, 10_200, task: 7, on: 0),
            sighting,
            F.run(.runStarted, 10_250, task: 60, on: 0),
            F.run(.runFinished, 10_400, task: 60, on: 0),
            F.run(.runStarted, 11_000, task: 7, on: 0),
            F.scheduled(11_100, task: 60, .other, arg: 7, queue: 0),
            F.run(.runFinished, 11_200, task: 7, on: 0),
            F.run(.runStarted, 11_300, task: 60, on: 0),
            F.run(.runFinished, 11_400, task: 60, on: 0),
        ]
        let items: [RecordingItem] = [
            .observation(
                Observation(
                    turn: .update, now: F.at(12_000), events: events, newNames: ["async let"], counters: F.counters()))
        ]
        let trace = try F.events(F.export(items).text).map(TraceEvent.init)
        let jobs = trace.filter { $0.ph == "X" && $0.name == "t60 async let" }
        #expect(
            jobs.map { $0.args["scheduled by"] as? String }
                == ["spawn by the job of t7 (its first run)", "the job of t7"])
        let flows = trace.filter { $0.ph == "s" }.map { "\($0.cat) \($0.name) @\($0.ts)" }
        #expect(flows == ["spawn spawn @10.1", "wakeup by the job of t7 @11.1"])
    }

    @Test func aGapIsAnInstant() {
        let gaps = events.filter { $0.ph == "i" && $0.cat == "gap" }
        #expect(gaps.map(\.name) == ["events dropped: 5"])
        #expect(gaps.first?.ts == 33_000)
        #expect(gaps.first?.args["observations"] as? Int == 2)
    }

    @Test func eventsTheRingsDroppedAreAnInstantAtTheObservationThatCountedThem() throws {
        func observation(_ now: UInt64, dropped: UInt64) -> RecordingItem {
            var counters = ExportFixture.counters()
            counters.droppedEvents = dropped
            return .observation(Observation(turn: .update, now: ExportFixture.at(now), counters: counters))
        }
        // Counted before the recording, rising by 7, steady, then after a gap only a new base.
        let items = [
            observation(1_000, dropped: 100), observation(2_000, dropped: 107), observation(3_000, dropped: 107),
            .gap(observations: 1, events: 3), observation(5_000, dropped: 200), observation(6_000, dropped: 201),
        ]
        let instants = try ExportFixture.events(ExportFixture.export(items).text).map(TraceEvent.init)
            .filter { $0.ph == "i" }.map { "\($0.name) @\($0.ts)" }
        #expect(
            instants == [
                "events lost in full rings: 7 @2.0", "events dropped: 3 @3.0", "events lost in full rings: 1 @6.0",
            ])
    }

    @Test func userTextIsEscaped() throws {
        let text = String(decoding: try ExportFixture.export().text, as: UTF8.self)
        #expect(text.contains(#""name":"t43 say \"hi\"\n\tünï 🚀 \\ \u0001""#))
    }

    @Test func theTextIsTheSameWhateverTheChunkSize() throws {
        let whole = try ExportFixture.export()
        let small = try ExportFixture.export(chunkBytes: 1)
        #expect(small.text == whole.text)
        #expect(whole.chunks == 1)
        #expect(small.chunks == events.count + 1)
    }

    @Test func timestampsAreExactMicroseconds() {
        var text: [UInt8] = []
        var out = TraceEventWriter(origin: 1_000, chunkBytes: 1) { text += $0 }
        try? out.event("i") { o in
            o.field("a", micros: -1_250)
            o.field("b", at: 1_000)
            o.field("c", at: 1_234_568_891)
            o.field("d", string: "\u{7F}\u{1F}é")
        }
        #expect(
            String(decoding: text, as: UTF8.self)
                == "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n{\"ph\":\"i\",\"a\":-1.250,\"b\":0.000,\"c\":1234567.891,\"d\":\"\u{7F}\\u001fé\"}"
        )
    }

    @Test(.timeLimit(.minutes(2))) func aLongStreamKeepsTheStateSmall() throws {
        let sink = ExportFixture.Collected()
        let chunk = 16 << 10
        var largest = 0
        var exporter = PerfettoExporter(setup: ExportFixture.setup, chunkBytes: chunk) { bytes in
            largest = max(largest, bytes.count)
            sink.chunks += 1
        }
        var held = 0
        var pendingText = 0
        var time: UInt64 = 0
        var fed = 0
        for turn in 0..<200 {
            var events: [RuntimeEvent] = []
            for k in 0..<200 {
                let task = UInt64(100 + turn * 200 + k)
                let w = UInt8(k % 2)
                time += 1_000
                events += [
                    RuntimeEvent(time: ExportFixture.at(time), kind: .spawned, task: task, worker: w, extra: 0),
                    ExportFixture.scheduled(time + 100, task: task, .spawn, queue: w),
                    ExportFixture.run(.runStarted, time + 200, task: task, on: w),
                    ExportFixture.run(.runFinished, time + 300, task: task, on: w),
                    RuntimeEvent(time: ExportFixture.at(time + 300), kind: .completed, task: task, worker: w),
                ]
            }
            fed += events.count
            try exporter.feed(
                .observation(
                    Observation(
                        turn: .update, now: ExportFixture.at(time + 400), events: events,
                        newNames: turn == 0 ? ["echo-conn"] : [], counters: ExportFixture.counters())))
            held = max(held, exporter.heldEntries)
            pendingText = max(pendingText, exporter.pendingBytes)
        }
        try exporter.finish()
        #expect(fed == 200_000)
        #expect(held == 0)
        #expect(exporter.namesHeld == 1)
        #expect(pendingText < chunk)
        #expect(largest < chunk + 1_024)
        // 40,000 jobs, each with a marker and a flow: the text went out in many chunks.
        #expect(exporter.bytesWritten > 100 * chunk)
        #expect(sink.chunks > 100)
    }
}
