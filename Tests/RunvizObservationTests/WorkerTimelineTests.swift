// Facts about the worker timeline, from constructed events: a job covers the columns of its
// length with its task; a job past the blocked threshold is BLOCKED for its whole length, and a
// BLOCKED stretch wins any column it touches; a wakeup marks the column it landed in on the worker
// whose queue it went to; blocking-pool threads get rows of their own; a selected cell names its
// job, how long it ran and what scheduled it; and the history builds the same from observations.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct WorkerTimelineTests {
    static let ms: UInt64 = 1_000_000
    static let base: UInt64 = 1_000 * ms

    /// A row as text: one character per cell (task letters from the legend, in its order).
    static func text(_ row: WorkerTimeline.Row, _ timeline: WorkerTimeline) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String(
            row.cells.map { cell -> Character in
                switch cell.state {
                case .unknown: return " "
                case .searching: return "-"
                case .idle: return "."
                case .epoll: return "~"
                case .blocked: return "#"
                case .running:
                    let index = timeline.tasks.firstIndex { $0.task.raw == cell.task } ?? 25
                    return letters[min(index, 25)]
                }
            })
    }

    static func idle(_ workers: Int) -> CounterReading {
        var counters = CounterReading.idle(workers: workers)
        for i in counters.workers.indices { counters.workers[i].activity = .parked }
        return counters
    }

    static func build(
        _ events: [RuntimeEvent], columns: Int, perColumn: UInt64, workers: Int = 2, threshold: UInt64 = 100 * ms,
        names: [UInt64: String] = [:]
    ) -> WorkerTimeline {
        var builder = WorkerTimelineBuilder(
            from: base, to: base + UInt64(columns) * perColumn, columns: columns, workers: workers,
            blockedThresholdNanos: threshold)
        builder.seed(idle(workers), at: base - 5 * ms)
        for e in events { builder.take(e) }
        return builder.finish { names[$0] ?? "" }
    }

    static func at(_ millis: UInt64) -> UInt64 { base + millis * ms }

    @Test func aThirtyMillisecondJobCoversThreeColumnsWithItsTask() {
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(20), kind: .workerUnparked, worker: 1),
                RuntimeEvent(time: Self.at(20), kind: .runStarted, task: 5, worker: 1),
                RuntimeEvent(time: Self.at(50), kind: .runFinished, task: 5, worker: 1),
                RuntimeEvent(time: Self.at(50), kind: .workerParked, worker: 1, detail: 1),
            ], columns: 10, perColumn: 10 * Self.ms, names: [5: "echo-conn"])
        #expect(t.rows.map(\.thread) == [.worker(0), .worker(1)])
        #expect(Self.text(t.rows[0], t) == "..........")
        #expect(Self.text(t.rows[1], t) == "..AAA~~~~~")
        #expect(t.rows[0].cells[0].stretch == .init(state: .idle, start: nil, end: nil), "parked since the reading")
        #expect(t.tasks == [.init(task: TaskID(5), name: "echo-conn", cells: 3)])
        #expect(t.tasks.first?.blockedCells == 0)
        #expect(t.nanosPerColumn == 10 * Self.ms)
    }

    @Test func aTwoSecondBlockedJobIsTwentyBlockedColumnsOnItsWorker() {
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(990), kind: .workerUnparked, worker: 1),
                RuntimeEvent(time: Self.at(1_000), kind: .runStarted, task: 9, worker: 1),
                RuntimeEvent(time: Self.at(1_010), kind: .workerBlocked, task: 9, worker: 1, arg: Self.at(1_000)),
                RuntimeEvent(time: Self.at(3_000), kind: .runFinished, task: 9, worker: 1),
                RuntimeEvent(time: Self.at(3_000), kind: .workerParked, worker: 1),
            ], columns: 40, perColumn: 100 * Self.ms, threshold: 10 * Self.ms)
        let row = Self.text(t.rows[1], t)
        #expect(
            row == String(repeating: ".", count: 10) + String(repeating: "#", count: 20)
                + String(repeating: ".", count: 10))
        #expect(Self.text(t.rows[0], t) == String(repeating: ".", count: 40))
        #expect(t.rows[1].cells[10].task == 9)
        #expect(t.tasks.map(\.task) == [TaskID(9)])
        #expect(t.tasks.first?.blockedCells == 20)
    }

    @Test func blockedWinsAColumnItTouchesAndOtherwiseTheLongestStateWins() {
        // 500 ms columns: a 15 ms blocked job in a parked column; 300 ms of jobs against 200 ms of
        // epoll; 200 ms of jobs (two tasks, the longer shown) against 300 ms parked.
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(100), kind: .runStarted, task: 3, worker: 0),
                RuntimeEvent(time: Self.at(115), kind: .runFinished, task: 3, worker: 0),
                RuntimeEvent(time: Self.at(115), kind: .workerParked, worker: 0),
                RuntimeEvent(time: Self.at(500), kind: .runStarted, task: 4, worker: 0),
                RuntimeEvent(time: Self.at(800), kind: .runFinished, task: 4, worker: 0),
                RuntimeEvent(time: Self.at(800), kind: .workerParked, worker: 0, detail: 1),
                RuntimeEvent(time: Self.at(1_000), kind: .runStarted, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runFinished, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runStarted, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_200), kind: .runFinished, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_200), kind: .workerParked, worker: 0),
            ], columns: 3, perColumn: 500 * Self.ms, workers: 1, threshold: 10 * Self.ms)
        // t4's 300 ms job and t7's 150 ms one are past the 10 ms threshold: BLOCKED too.
        #expect(Self.text(t.rows[0], t) == "###")
        let relaxed = Self.build(
            [
                RuntimeEvent(time: Self.at(500), kind: .runStarted, task: 4, worker: 0),
                RuntimeEvent(time: Self.at(800), kind: .runFinished, task: 4, worker: 0),
                RuntimeEvent(time: Self.at(800), kind: .workerParked, worker: 0, detail: 1),
                RuntimeEvent(time: Self.at(1_000), kind: .runStarted, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runFinished, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runStarted, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_200), kind: .runFinished, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_200), kind: .workerParked, worker: 0),
            ], columns: 3, perColumn: 500 * Self.ms, workers: 1, threshold: 1_000 * Self.ms)
        #expect(relaxed.rows[0].cells.map(\.state) == [.idle, .running, .idle])
        #expect(relaxed.rows[0].cells[1].task == 4)
        let one = Self.build(
            [
                RuntimeEvent(time: Self.at(1_000), kind: .runStarted, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runFinished, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(1_050), kind: .runStarted, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_350), kind: .runFinished, task: 7, worker: 0),
                RuntimeEvent(time: Self.at(1_350), kind: .workerParked, worker: 0),
            ], columns: 3, perColumn: 500 * Self.ms, workers: 1, threshold: 1_000 * Self.ms)
        #expect(one.rows[0].cells[2].state == .running)
        #expect(one.rows[0].cells[2].task == 7, "the task that ran longest in the slice")
    }

    @Test func aWakeupMarksTheColumnWhereItLandedOnItsQueue() {
        let t = Self.build(
            [
                RuntimeEvent(
                    time: Self.at(35), kind: .scheduled, task: 5, worker: 1, detail: UInt16(WakeSource.io.rawValue),
                    arg: 17),
                RuntimeEvent(time: Self.at(36), kind: .scheduled, task: 6, worker: RuntimeEvent.injectQueue),
                RuntimeEvent(time: Self.at(71), kind: .scheduled, task: 6, worker: 0),
                RuntimeEvent(time: Self.at(72), kind: .scheduled, task: 7, worker: 0),
            ], columns: 10, perColumn: 10 * Self.ms)
        #expect(t.rows[1].cells.map(\.wakeups) == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(t.rows[0].cells.map(\.wakeups) == [0, 0, 0, 0, 0, 0, 0, 2, 0, 0])
    }

    @Test func blockingPoolThreadsHaveRowsAfterTheWorkers() {
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(10), kind: .blockingStarted, task: 7, arg: 1, extra: 2),
                RuntimeEvent(time: Self.at(40), kind: .blockingFinished, task: 7, arg: 1, extra: 2),
                RuntimeEvent(time: Self.at(60), kind: .blockingFinished, task: 8, arg: 0, extra: 1),
            ], columns: 10, perColumn: 10 * Self.ms, threshold: 10 * Self.ms, names: [7: "offloader"])
        #expect(t.rows.map(\.thread) == [.worker(0), .worker(1), .blocking(1), .blocking(2)])
        // Pool thread 1's job began before the events read: from the first instant read.
        #expect(Self.text(t.rows[2], t) == "AAAAAA....")
        #expect(Self.text(t.rows[3], t) == " BBB......", "a 30 ms pool job is not BLOCKED: no worker is held")
        let selection = try! #require(t.selection(row: 3, column: 2))
        #expect(selection.cell.stretch?.cause == .submitted(by: TaskID(7)))
        #expect(selection.taskName == "offloader")
        #expect(t.selection(row: 4, column: 0) == nil)
        #expect(t.selection(row: 3, column: 10) == nil)
    }

    @Test func aPoolJobBegunBeforeTheEventsReadRunsFromTheirStartAndAnIdleThreadHasNoRow() {
        var builder = WorkerTimelineBuilder(
            from: Self.base, to: Self.at(100), columns: 10, workers: 1, blockedThresholdNanos: 10 * Self.ms)
        builder.takeEarlier(RuntimeEvent(time: Self.at(0) - 900 * Self.ms, kind: .blockingStarted, task: 7, extra: 3))
        builder.takeEarlier(RuntimeEvent(time: Self.at(0) - 800 * Self.ms, kind: .blockingStarted, task: 8, extra: 4))
        builder.takeEarlier(
            RuntimeEvent(time: Self.at(0) - 700 * Self.ms, kind: .blockingFinished, task: 8, extra: 4))
        builder.takeEarlier(RuntimeEvent(time: Self.at(0), kind: .runStarted, task: 9, worker: 0))
        builder.seed(Self.idle(1), at: Self.at(20))
        builder.take(RuntimeEvent(time: Self.at(50), kind: .blockingFinished, task: 7, extra: 3))
        let t = builder.finish { _ in "" }
        #expect(t.rows.map(\.thread) == [.worker(0), .blocking(3)])
        #expect(Self.text(t.rows[1], t) == "AAAAA.....")
        #expect(
            Self.text(t.rows[0], t) == "  ........", "a worker's state comes from the reading, not from earlier events")
        #expect(t.selection(row: 1, column: 0)?.cell.stretch?.start == Self.at(0) - 900 * Self.ms)
    }

    @Test func aSelectedCellNamesItsJobItsLengthAndWhatScheduledIt() {
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(1), kind: .spawned, task: 5, extra: 3),
                RuntimeEvent(time: Self.at(15), kind: .fdReady, task: 5, detail: 1, arg: 17),
                RuntimeEvent(
                    time: Self.at(16), kind: .scheduled, task: 5, worker: 1, detail: UInt16(WakeSource.io.rawValue),
                    arg: 17),
                RuntimeEvent(time: Self.at(20), kind: .runStarted, task: 5, worker: 1),
                RuntimeEvent(time: Self.at(50), kind: .runFinished, task: 5, worker: 1),
                RuntimeEvent(
                    time: Self.at(60), kind: .scheduled, task: 5, worker: 1, detail: UInt16(WakeSource.task.rawValue),
                    arg: 12),
                RuntimeEvent(time: Self.at(70), kind: .runStarted, task: 5, worker: 1),
                RuntimeEvent(time: Self.at(75), kind: .runFinished, task: 5, worker: 1),
            ], columns: 10, perColumn: 10 * Self.ms, names: [5: "echo-conn"])
        #expect(t.selection(row: 1, column: 2)?.cell.state == .running)
        let first = try! #require(t.selection(row: 1, column: 3))
        #expect(first.thread == .worker(1))
        #expect(first.cell.task == 5)
        #expect(first.taskName == "echo-conn")
        #expect(first.cell.stretch?.start == Self.at(20))
        #expect(first.duration(until: t.to) == 30 * Self.ms)
        #expect(first.cell.stretch?.cause?.description == "fd 17 readable")
        #expect((first.sliceStart, first.sliceEnd) == (Self.at(30), Self.at(40)))
        let second = try! #require(t.selection(row: 1, column: 7))
        #expect(second.cell.stretch?.cause?.description == "woken by t12")
        #expect(second.duration(until: t.to) == 5 * Self.ms)
        let idle = try! #require(t.selection(row: 1, column: 5))
        #expect(idle.cell.state == .searching)
        #expect(idle.duration(until: t.to) == 20 * Self.ms)
    }

    /// A task sighted at its first run was created by the enqueue that job resolved (during its
    /// parent's job): a spawn; its later wakes of no named cause stay "other".
    @Test func aSightedTasksFirstJobWasScheduledByItsSpawn() {
        let other = UInt16(WakeSource.other.rawValue)
        let t = Self.build(
            [
                RuntimeEvent(time: Self.at(1), kind: .runStarted, task: 3, worker: 0),
                RuntimeEvent(time: Self.at(2), kind: .scheduled, task: 9, worker: 0, detail: other, arg: 3),
                RuntimeEvent(time: Self.at(5), kind: .runFinished, task: 3, worker: 0),
                // As the runtime records it: the sighting, then the run's start, at one time.
                RuntimeEvent(
                    time: Self.at(10), kind: .spawned, task: 9, worker: 0, detail: RuntimeEvent.sightedAtRun, arg: 3),
                RuntimeEvent(time: Self.at(10), kind: .runStarted, task: 9, worker: 0),
                RuntimeEvent(time: Self.at(30), kind: .runFinished, task: 9, worker: 0),
                RuntimeEvent(time: Self.at(40), kind: .scheduled, task: 9, worker: 0, detail: other, arg: 3),
                RuntimeEvent(time: Self.at(50), kind: .runStarted, task: 9, worker: 0),
                RuntimeEvent(time: Self.at(70), kind: .runFinished, task: 9, worker: 0),
            ], columns: 10, perColumn: 10 * Self.ms)
        #expect(t.selection(row: 0, column: 1)?.cell.stretch?.cause?.description == "spawn, during t3's job")
        #expect(t.selection(row: 0, column: 5)?.cell.stretch?.cause?.description == "other, during t3's job")
    }

    @Test func theHistoryBuildsTheTimelineFromItsObservations() {
        let ms = Self.ms
        var setup = ObservationHistoryTests.setup
        setup.configuration.blockedThresholdNanos = 100 * ms
        var history = ObservationHistory()
        var observer = Observer(setup: setup)
        let start = setup.startedAt
        // A frame every 50 ms for 1 s; t5 "echo-conn" spawned in the first turn runs on W1
        // from 300 ms to 330 ms, scheduled by a timer.
        for i in 1...20 {
            let now = start + UInt64(i) * 50 * ms
            var events: [RuntimeEvent] = []
            if i == 1 { events.append(RuntimeEvent(time: now - 1, kind: .spawned, task: 5, extra: 1)) }
            if i == 7 {
                events += [
                    RuntimeEvent(
                        time: start + 299 * ms, kind: .scheduled, task: 5, worker: 1,
                        detail: UInt16(WakeSource.timer.rawValue)),
                    RuntimeEvent(time: start + 300 * ms, kind: .workerUnparked, worker: 1),
                    RuntimeEvent(time: start + 300 * ms, kind: .runStarted, task: 5, worker: 1),
                    RuntimeEvent(time: start + 330 * ms, kind: .runFinished, task: 5, worker: 1),
                    RuntimeEvent(time: start + 330 * ms, kind: .workerParked, worker: 1),
                ]
            }
            let o = Observation(
                turn: .frame, now: now, events: events, newNames: i == 1 ? ["", "echo-conn"] : [],
                counters: Self.idle(2))
            history.record(o, before: observer)
            observer.take(o)
        }
        let t = try! #require(history.workerTimeline(from: start + 250 * ms, to: start + 350 * ms, columns: 10))
        #expect(Self.text(t.rows[1], t) == ".....AAA..")
        #expect(Self.text(t.rows[0], t) == "..........")
        #expect(t.tasks.map(\.description) == ["t5 echo-conn"])
        #expect(t.selection(row: 1, column: 6)?.cell.stretch?.cause?.description == "timer")
        #expect(t.rows[1].cells[4].wakeups == 1)
        #expect(history.workerTimeline(from: start + 350 * ms, to: start + 250 * ms, columns: 10) == nil)
        #expect(history.workerTimeline(from: start + 2_000 * ms, to: start + 3_000 * ms, columns: 10) == nil)
    }
}
