// DemoCaption: while a demo key's work runs, the Demos panel's first row says what to watch and
// what to notice, from the frame's own numbers (the worker a blocker holds and the one serving the
// replies, replies waiting, where a spawned task is parked, who holds a lock and who waits), and
// names the lesson `L` opens; richest form at 120 columns, a plainer one at 80, never a cut word.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct DemoCaptionTests {
    static let ms = Fixtures.ms
    static let now = Fixtures.now

    /// The Demos panel's rows with `run` current and the view's last demo lesson `lesson`.
    static func rows(
        _ snapshot: DashboardSnapshot, _ run: DemoRun, lesson: String?, width: Int = 120, height: Int = 40,
        ascii: Bool = false
    ) -> [String] {
        var snapshot = snapshot
        snapshot.demos.current = run
        var view = ViewState(ascii: ascii)
        view.lastDemoLesson = lesson
        return Rendered(snapshot, view, width: width, height: height).panel(\.demos)
    }

    struct Case {
        let name: String
        let snapshot: DashboardSnapshot
        let run: DemoRun
        let lesson: String
        /// The caption at 120 × 40 and at 80 × 24.
        let wide: String
        let narrow: String
    }

    /// Fixtures.snapshot: W0 runs t42 echo-conn at 12.3k runs/s, W1 is BLOCKED 1.2 s by t7 blocker,
    /// reply p99 120 µs with 2 replies waiting (oldest 40 µs), 10 jobs ready.
    static var cases: [Case] {
        let base = Fixtures.snapshot
        var all = base
        all.runtime.workers[0].state = .blocked(TaskID(8), name: "blocker", forNanos: 300 * ms)
        var pool = base
        pool.runtime.workers[1].state = .parked
        var m = base
        m.runtime.workers[1].state = .blockedOnLock(TaskID(9), name: "lock-blocking-1", forNanos: 200 * ms)
        m.demos.lock = .init(blocking: true, tasks: 2, holder: TaskID(8), startedAt: now - 700 * ms)
        var mutex = pool
        mutex.demos.lock = .init(blocking: false, tasks: 2, mutexID: 1, holder: TaskID(8), startedAt: now - 700 * ms)
        var n = base
        n.demos.channel = .init(id: 2, capacity: 4, buffered: 0, sent: 22, received: 22, total: 40)
        return [
            Case(
                name: "b, one worker held", snapshot: base,
                run: DemoRun(
                    demo: .blockWorker, startedAt: now - 1_200 * ms, tasks: [TaskID(7)], endsAt: now + 800 * ms),
                lesson: "08-blocking",
                wide:
                    "b: W1 BLOCKED in usleep 1.2 s; W0 serves every reply · b again blocks W0 too · reply p99 120 µs · L: lesson 08",
                narrow: "b: W1 BLOCKED; W0 serves every reply · b again blocks W0 too · L: lesson 08"),
            Case(
                name: "b, every worker held", snapshot: all,
                run: DemoRun(
                    demo: .blockWorker, startedAt: now - 1_200 * ms, tasks: [TaskID(7), TaskID(8)],
                    endsAt: now + 1_700 * ms),
                lesson: "08-blocking",
                wide:
                    "b: every worker BLOCKED in usleep: nothing else runs · 2 replies waiting, oldest 40 µs · ready queue 10 · L: lesson 08",
                narrow: "b: every worker BLOCKED · 2 replies waiting, oldest 40 µs · L: lesson 08"),
            Case(
                name: "b, done", snapshot: pool,
                run: DemoRun(demo: .blockWorker, startedAt: now - 3_000 * ms, tasks: [TaskID(70)], finished: 1),
                lesson: "08-blocking",
                wide:
                    "b: blockers done, workers free again · reply p99 120 µs · press b twice to stall every worker · L: lesson 08",
                narrow: "b: blockers done, workers free again · reply p99 120 µs · L: lesson 08"),
            Case(
                name: "B", snapshot: pool,
                run: DemoRun(
                    demo: .blockOnPool, startedAt: now - 500 * ms, tasks: [TaskID(60)], endsAt: now + 1_500 * ms),
                lesson: "08-blocking",
                wide:
                    "B: usleep runs on a blocking-pool thread (1 busy) · 0 workers blocked · reply p99 120 µs · L: lesson 08",
                narrow: "B: usleep on a pool thread (1 busy) · 0 workers blocked · L: lesson 08"),
            Case(
                name: "B, done", snapshot: pool,
                run: DemoRun(demo: .blockOnPool, startedAt: now - 2_500 * ms, tasks: [TaskID(60)], finished: 1),
                lesson: "08-blocking",
                wide:
                    "B: usleep returned on the pool thread and t60 offloader resumed · 0 workers blocked · reply p99 120 µs · L: lesson 08",
                narrow: "B: usleep done on the pool, t60 resumed · 0 workers blocked · L: lesson 08"),
            Case(
                name: "s", snapshot: base, run: DemoRun(demo: .spawn(count: 1), startedAt: now, tasks: [TaskID(18)]),
                lesson: "06-spawn",
                wide:
                    "s: t18 sleeper parked on a timer, due in 120 ms: it holds no worker · then it runs on one · L: lesson 06",
                narrow: "s: t18 sleeper parked on a timer, due in 120 ms · no worker held · L: lesson 06"),
            Case(
                name: "S", snapshot: base,
                run: DemoRun(
                    demo: .spawn(count: 5), startedAt: now, tasks: [18, 51, 52, 42, 99].map(TaskID.init), finished: 1),
                lesson: "06-spawn",
                wide:
                    "S: 5 tasks: 1 parked on timers, 2 queued, 1 running, 1 done · 2 workers run them all · L: lesson 06",
                narrow: "S: 5 tasks: 1 parked on timers, 2 queued, 1 running, 1 done · L: lesson 06"),
            Case(
                name: "c", snapshot: base, run: DemoRun(demo: .clients(change: 10, running: 30), startedAt: now),
                lesson: "13-echo-server",
                wide:
                    "c: 30 synthetic clients (+10) · 118 connections on tasks, 2 on threads · 12.3k round trips/s · L: lesson 13",
                narrow: "c: 30 synthetic clients (+10) · 118 on tasks, 2 on threads · L: lesson 13"),
            Case(
                name: "C", snapshot: base, run: DemoRun(demo: .clients(change: -10, running: 20), startedAt: now),
                lesson: "13-echo-server",
                wide:
                    "C: 20 synthetic clients (-10) · 118 connections on tasks, 2 on threads · 12.3k round trips/s · L: lesson 13",
                narrow: "C: 20 synthetic clients (-10) · 118 on tasks, 2 on threads · L: lesson 13"),
            Case(
                name: "a", snapshot: base, run: DemoRun(demo: .join, startedAt: now - 600 * ms), lesson: "05-join",
                wide:
                    "a: async let sleeps 200 ms and 100 ms at once: 201 ms ≈ max · the same one after the other: 302 ms ≈ sum · L: lesson 05",
                narrow: "a: async let 200 ms, 100 ms: 201 ms ≈ max · in turn: 302 ms ≈ sum · L: lesson 05"),
            Case(
                name: "m", snapshot: m, run: DemoRun(demo: .lock(blocking: true), startedAt: now - 700 * ms),
                lesson: "11-mutex",
                wide:
                    "m: W1 BLOCKED on the lock t8 holds across an await · 1 of 2 workers left · reply p99 120 µs · compare M · L: lesson 11",
                narrow: "m: W1 BLOCKED on the lock t8 holds across an await · compare M · L: lesson 11"),
            Case(
                name: "M", snapshot: mutex, run: DemoRun(demo: .lock(blocking: false), startedAt: now - 700 * ms),
                lesson: "11-mutex",
                wide:
                    "M: 1 task parked on mutex #1 while t8 holds it across an await · 0 workers blocked · compare m · L: lesson 11",
                narrow: "M: 1 task parked on mutex #1 · 0 workers blocked · compare m · L: lesson 11"),
            Case(
                name: "n", snapshot: n, run: DemoRun(demo: .channel, startedAt: now - 900 * ms),
                lesson: "12-shared-state-and-channels",
                wide:
                    "n: channel 0/4 empty · 0 senders parked on send, 1 receiver on receive · sent 22/40 · L: lesson 12",
                narrow: "n: channel 0/4 empty · 0 senders, 1 receiver parked · sent 22/40 · L: lesson 12"),
            Case(
                name: "t", snapshot: base, run: DemoRun(demo: .serverMode(.threads), startedAt: now),
                lesson: "01-why-async",
                wide:
                    "t: new connections get one OS thread each · 2 on threads, 118 on tasks · process threads 14, RSS 23.4 MiB · L: lesson 01",
                narrow: "t: new connections on OS threads · 2 on threads, 118 on tasks · L: lesson 01"),
            Case(
                name: "f", snapshot: base,
                run: DemoRun(demo: .lazy(hogs: 2), startedAt: now - 100 * ms, tasks: [51, 52].map(TaskID.init)),
                lesson: "03-futures-are-lazy",
                wide: "f: 2 hogs hold every worker 400 ms · 1 of 2 spawned tasks not yet polled (new) · L: lesson 03",
                narrow: "f: 2 hogs hold every worker 400 ms · 1/2 tasks not yet polled · L: lesson 03"),
        ]
    }

    @Test(arguments: cases.map(\.name))
    func captionAt120And80Columns(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        #expect(Self.rows(c.snapshot, c.run, lesson: c.lesson).first == c.wide)
        #expect(Self.rows(c.snapshot, c.run, lesson: c.lesson, width: 80, height: 24) == [c.narrow])
        #expect(
            LessonCatalog.lessonID(for: DemoCaption.command(c.run.demo)) == c.lesson,
            "the caption names the lesson L opens for its key")
    }

    @Test(arguments: cases.map(\.name))
    func inASCIIEveryCaptionStillFits80ColumnsWhole(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let row = try #require(Self.rows(c.snapshot, c.run, lesson: c.lesson, width: 80, height: 24, ascii: true).first)
        #expect(row.isASCIIOnly)
        #expect(row.hasSuffix("L: lesson \(c.lesson.prefix(2))"), "\(row)")
        #expect(!row.contains("..."), "no form cut short: \(row)")
    }

    /// BLOCKED as the Workers row says it: a blocker 6 µs into its usleep runs, like its row.
    @Test func aBlockerUnderTheThresholdRunsAsItsRowSays() throws {
        let c = try #require(Self.cases.first)
        var snapshot = c.snapshot
        snapshot.runtime.workers[1].state = .running(TaskID(7), name: "blocker", forNanos: 6_300)
        let row = try #require(Self.rows(snapshot, c.run, lesson: c.lesson).first)
        #expect(row.hasPrefix("b: W1 running in usleep 6.3 µs; W0 serves every reply"), "\(row)")
    }

    /// With one worker the blocking lock deadlocked and its waiter gave up: the demo line says so.
    @Test func aDeadlockTheWaiterEndedIsSaid() throws {
        var snapshot = Fixtures.snapshot
        snapshot.demos.lock = .init(
            blocking: true, tasks: 2, finished: 2, elapsedNanos: 4_800 * Self.ms, startedAt: Self.now - 6_000 * Self.ms,
            gaveUp: 1)
        let run = DemoRun(
            demo: .lock(blocking: true), startedAt: Self.now - 6_000 * Self.ms, tasks: [TaskID(22), TaskID(23)])
        let row = try #require(Self.rows(snapshot, run, lesson: "11-mutex").first)
        #expect(row.hasPrefix("m: done in 4.8 s: a deadlock"), "\(row)")
        #expect(row.hasSuffix("L: lesson 11"))
    }

    @Test func theLessonIsNamedOnlyWhileLOpensIt() throws {
        let c = try #require(Self.cases.first)
        // Tab moved the focus since the key: L now opens the panel's lesson, so the caption names none.
        #expect(
            Self.rows(c.snapshot, c.run, lesson: nil).first
                == "b: W1 BLOCKED in usleep 1.2 s; W0 serves every reply · b again blocks W0 too · reply p99 120 µs · W0 12.3k runs/s"
        )
    }

    @Test func theCaptionComesFirstAndItsDemosResultIsNotRepeated() {
        var snapshot = Fixtures.snapshot
        snapshot.demos.lock = .init(blocking: false, tasks: 2, finished: 2, mutexID: 1, elapsedNanos: 2_150 * Self.ms)
        snapshot.demos.channel = nil
        // The join demo is current: its result is the caption; the lock's result follows.
        #expect(
            Self.rows(snapshot, DemoRun(demo: .join, startedAt: Self.now), lesson: "05-join") == [
                "a: async let sleeps 200 ms and 100 ms at once: 201 ms ≈ max · the same one after the other: 302 ms ≈ sum · L: lesson 05",
                "lock on the async mutex: 2 tasks, 2 done · took 2.2 s",
            ])
    }
}
