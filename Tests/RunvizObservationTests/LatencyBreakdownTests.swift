// Facts about the split of echo latency (readiness → wake → run → reply) and the blame of long queue
// waits, from scripted events on a one-worker runtime: a reply's parts are measured exactly and add
// up to its whole; a job that ran two seconds names the wakeups queued behind it, its task and name,
// while it runs and for the window its end falls in; a job that ended in time is never blamed.
// Every wake, of any source (a foreign thread's, a timer's), is split into its queue wait and its run.

import Testing

@testable import RunvizObservation
@testable import RunvizTelemetry

@Suite struct LatencyBreakdownTests {
    static let us: UInt64 = 1_000
    static let ms: UInt64 = 1_000_000
    static let second: UInt64 = 1_000_000_000
    static let t0: UInt64 = 1_000_000_000_000
    static let names = ["", "demo-blocker", "echo-conn"]

    func aggregator() -> Aggregator {
        Aggregator(
            configuration: ConfigurationSummary(
                workers: 1, maxBlockingThreads: 4, blockedThresholdNanos: 10_000_000, instrumentation: true),
            startedAt: Self.t0)
    }

    func publish(_ a: inout Aggregator, at offset: UInt64) -> RuntimeSnapshot {
        a.publish(now: Self.t0 + offset, counters: .idle(workers: 1), names: Self.names).snapshot
    }

    /// One echo on fd 12 of task 3: readiness at `ready`, then the three parts.
    func echo(
        at ready: UInt64, toWake: UInt64, queue: UInt64, run: UInt64, task: UInt64 = 3, fd: UInt64 = 12,
        on worker: UInt8 = 0
    ) -> [RuntimeEvent] {
        let woken = ready + toWake
        let started = woken + queue
        return [
            RuntimeEvent(time: ready, kind: .fdReady, task: task, detail: UInt16(Interest.read.rawValue), arg: fd),
            RuntimeEvent(
                time: woken, kind: .scheduled, task: task, worker: worker, detail: UInt16(WakeSource.io.rawValue),
                arg: fd),
            RuntimeEvent(time: started, kind: .runStarted, task: task, worker: worker),
            RuntimeEvent(time: started + run, kind: .wrote, task: task, worker: worker, arg: fd, extra: 1),
            RuntimeEvent(time: started + run + Self.us, kind: .runFinished, task: task, worker: worker),
        ]
    }

    @Test func aReplysPartsAreMeasuredAndAddUpToItsWhole() {
        var a = aggregator()
        let t = Self.t0
        a.apply([
            RuntimeEvent(time: t, kind: .spawned, task: 3, extra: 2),
            RuntimeEvent(time: t + 1, kind: .fdRegistered, task: 3, arg: 12),
        ])
        a.apply(echo(at: t + Self.ms, toWake: 10 * Self.us, queue: 2 * Self.ms, run: 30 * Self.us))
        #expect(publish(&a, at: Self.second / 2).latency.replies == 0, "the first second is not closed yet")
        let s = publish(&a, at: Self.second).latency
        #expect(s.replies == 1)
        #expect(s.readyToWake == .init(p50Nanos: 10 * Self.us, p99Nanos: 10 * Self.us))
        #expect(s.queueWait == .init(p50Nanos: 2 * Self.ms, p99Nanos: 2 * Self.ms))
        #expect(s.run == .init(p50Nanos: 30 * Self.us, p99Nanos: 30 * Self.us))
        #expect(s.whole.p50Nanos == 2_040 * Self.us)
        #expect(s.sumOfMediansNanos == s.whole.p50Nanos, "one reply: its parts are its whole")
        #expect(s.blame.isEmpty)
        #expect(publish(&a, at: 2 * Self.second).latency.replies == 0, "the next second had no reply")
    }

    @Test func everyWakeIsSplitIntoItsQueueWaitAndItsRun() {
        var a = aggregator()
        let t = Self.t0
        let thread = ForeignThread.argument(nameID: 2)
        a.apply([
            RuntimeEvent(time: t, kind: .spawned, task: 3, extra: 2),
            RuntimeEvent(time: t + 1, kind: .runStarted, task: 3, worker: 0),
            RuntimeEvent(time: t + 2, kind: .runFinished, task: 3, worker: 0),
            // A thread of no task's wakes task 3: 300 ms in the queue, a 40 µs run.
            RuntimeEvent(
                time: t + Self.ms, kind: .scheduled, task: 3, worker: 0, detail: UInt16(WakeSource.other.rawValue),
                arg: thread),
            RuntimeEvent(time: t + 301 * Self.ms, kind: .runStarted, task: 3, worker: 0),
            RuntimeEvent(time: t + 301 * Self.ms + 40 * Self.us, kind: .runFinished, task: 3, worker: 0),
            // A timer wakes it: 5 µs in the queue, a 2 ms run.
            RuntimeEvent(
                time: t + 400 * Self.ms, kind: .scheduled, task: 3, worker: 0,
                detail: UInt16(WakeSource.timer.rawValue)),
            RuntimeEvent(time: t + 400 * Self.ms + 5 * Self.us, kind: .runStarted, task: 3, worker: 0),
            RuntimeEvent(time: t + 402 * Self.ms + 5 * Self.us, kind: .runFinished, task: 3, worker: 0),
        ])
        let s = publish(&a, at: Self.second).latency
        #expect(s.replies == 0, "no fd, no reply")
        #expect(s.wakes == 2, "the first run was its spawn's, not a wake's")
        #expect(s.wakeQueueWait.p99Nanos.map { $0 >= 300 * Self.ms && $0 <= 300 * Self.ms * 9 / 8 } == true)
        #expect(s.wakeQueueWait.p50Nanos.map { $0 >= 5 * Self.us && $0 <= 5 * Self.us * 9 / 8 } == true)
        #expect(s.wakeRun.p99Nanos.map { $0 >= 2 * Self.ms && $0 <= 2 * Self.ms * 9 / 8 } == true)
        #expect(s.wakeRun.p50Nanos.map { $0 >= 40 * Self.us && $0 <= 40 * Self.us * 9 / 8 } == true)
        #expect(s.wakeQueueWait.maxNanos == 300 * Self.ms, "the longest, exact")
        #expect(s.wakeRun.maxNanos == 2 * Self.ms)
        #expect(s.queueWait.maxNanos == nil, "the replies' parts keep no max")
        #expect(publish(&a, at: 2 * Self.second).latency.wakes == 0, "the next second had no wake")
    }

    @Test func manyRepliesGiveEachPartsPercentilesWithinABucket() throws {
        var a = aggregator()
        let t = Self.t0
        a.apply([RuntimeEvent(time: t + 1, kind: .fdRegistered, task: 3, arg: 12)])
        for i in 0..<100 as Range<UInt64> {
            // 99 quick replies and one that waited 5 ms in the queue.
            let queue = i == 50 ? 5 * Self.ms : 20 * Self.us
            a.apply(echo(at: t + (i + 1) * 5 * Self.ms, toWake: 10 * Self.us, queue: queue, run: 30 * Self.us))
        }
        let s = publish(&a, at: Self.second).latency
        #expect(s.replies == 100)
        let p50 = try #require(s.queueWait.p50Nanos)
        #expect(p50 >= 20 * Self.us && p50 <= 20 * Self.us * 9 / 8, "the bucket's upper bound, at most 12.5 % over")
        #expect(s.queueWait.p99Nanos == p50, "one slow reply in a hundred is the p100, not the p99")
        #expect(s.readyToWake.p50Nanos! >= 10 * Self.us && s.run.p50Nanos! >= 30 * Self.us)
    }

    @Test func aReadinessConsumedWithoutAReplyIsNotSplit() {
        var a = aggregator()
        let t = Self.t0
        a.apply([RuntimeEvent(time: t + 1, kind: .fdRegistered, task: 3, arg: 12)])
        var events = echo(at: t + Self.ms, toWake: 10 * Self.us, queue: 20 * Self.us, run: 30 * Self.us)
        // The task reads nothing and parks on the fd again instead of writing.
        let park = ParkReason.io(fd: 12, interest: .read).encoded
        events[3] = RuntimeEvent(
            time: events[3].time, kind: .parked, task: 3, worker: 0, detail: park.detail, arg: park.arg,
            extra: park.extra)
        a.apply(events)
        a.apply([RuntimeEvent(time: t + 3 * Self.ms, kind: .wrote, task: 3, worker: 0, arg: 12, extra: 1)])
        #expect(publish(&a, at: Self.second).latency.replies == 0)
    }

    /// Task 23 ("demo-blocker") runs on W0 from 100 ms to 2.1 s; 38 tasks are woken onto W0's queue
    /// meanwhile, every 10 ms from 110 ms, and run one after another once it returns.
    func blockedWorker(jobNanos: UInt64 = 2 * Self.second) -> [RuntimeEvent] {
        let t = Self.t0
        let start = t + 100 * Self.ms
        var events = [
            RuntimeEvent(time: t, kind: .spawned, task: 23, extra: 1),
            RuntimeEvent(time: start, kind: .runStarted, task: 23, worker: 0),
        ]
        let step = min(10 * Self.ms, jobNanos / 40)
        for i in 0..<38 as Range<UInt64> {
            events.append(
                RuntimeEvent(
                    time: start + (i + 1) * step, kind: .scheduled, task: 100 + i, worker: 0,
                    detail: UInt16(WakeSource.task.rawValue)))
        }
        let end = start + jobNanos
        events.append(RuntimeEvent(time: end, kind: .runFinished, task: 23, worker: 0))
        for i in 0..<38 as Range<UInt64> {
            let run = end + (i + 1) * 10 * Self.us
            events.append(RuntimeEvent(time: run, kind: .runStarted, task: 100 + i, worker: 0))
            events.append(RuntimeEvent(time: run + 5 * Self.us, kind: .runFinished, task: 100 + i, worker: 0))
        }
        return events
    }

    @Test func aBlockedWorkerIsBlamedForTheWakeupsQueuedBehindIt() {
        var a = aggregator()
        let events = blockedWorker()
        let end = Self.t0 + 2_100 * Self.ms
        a.apply(events.filter { $0.time < Self.t0 + Self.second })
        _ = publish(&a, at: Self.second)
        a.apply(events.filter { $0.time >= Self.t0 + Self.second && $0.time <= Self.t0 + 1_500 * Self.ms })
        let during = publish(&a, at: 1_500 * Self.ms).latency.blame
        // By 1.5 s, wakeups at 110 ms … 480 ms (all 38) are queued; the first has waited 1.39 s.
        #expect(
            during == [
                LatencyBlame(
                    queue: .worker(0), wakeups: 38, worstWaitNanos: 1_390 * Self.ms, blocker: TaskID(23),
                    blockerName: "demo-blocker", worker: 0, blockedNanos: 1_400 * Self.ms, ongoing: true)
            ])
        a.apply(events.filter { $0.time > Self.t0 + 1_500 * Self.ms })
        let firstRun = end + 10 * Self.us
        let after = publish(&a, at: 3 * Self.second).latency.blame
        #expect(
            after == [
                LatencyBlame(
                    queue: .worker(0), wakeups: 38, worstWaitNanos: firstRun - (Self.t0 + 110 * Self.ms),
                    blocker: TaskID(23), blockerName: "demo-blocker", worker: 0, blockedNanos: 2 * Self.second,
                    ongoing: false)
            ], "shown with the second its end fell in")
        #expect(publish(&a, at: 4 * Self.second).latency.blame.isEmpty, "and gone a second later")
    }

    @Test func wakeupsIntoTheInjectQueueWaitBehindTheOnlyWorkersJob() {
        var a = aggregator()
        let t = Self.t0
        a.apply([
            RuntimeEvent(time: t, kind: .spawned, task: 23, extra: 1),
            RuntimeEvent(time: t + Self.ms, kind: .runStarted, task: 23, worker: 0),
            RuntimeEvent(
                time: t + 2 * Self.ms, kind: .scheduled, task: 7, worker: RuntimeEvent.injectQueue,
                detail: UInt16(WakeSource.io.rawValue), arg: 12),
        ])
        let blame = publish(&a, at: 500 * Self.ms).latency.blame
        #expect(
            blame == [
                LatencyBlame(
                    queue: .inject, wakeups: 1, worstWaitNanos: 498 * Self.ms, blocker: TaskID(23),
                    blockerName: "demo-blocker", worker: 0, blockedNanos: 499 * Self.ms, ongoing: true)
            ])
    }

    @Test func aJobThatEndedInTimeIsNeverBlamed() {
        var a = aggregator()
        a.apply(blockedWorker(jobNanos: 5 * Self.ms))
        #expect(publish(&a, at: Self.second).latency.blame.isEmpty)
        #expect(publish(&a, at: 2 * Self.second).latency.blame.isEmpty)
        #expect(a.latency.blame.behind.isEmpty, "the queued tasks ran; nothing is left to measure")
    }

    @Test func aWatchdogReportStandsForAMissedStart() {
        var a = aggregator()
        let t = Self.t0
        a.apply([
            RuntimeEvent(time: t, kind: .spawned, task: 23, extra: 1),
            RuntimeEvent(time: t + 50 * Self.ms, kind: .workerBlocked, task: 23, worker: 0, arg: t + 10 * Self.ms),
            RuntimeEvent(
                time: t + 60 * Self.ms, kind: .scheduled, task: 7, worker: 0, detail: UInt16(WakeSource.task.rawValue)),
        ])
        let blame = publish(&a, at: 100 * Self.ms).latency.blame
        #expect(blame.map(\.blockedNanos) == [90 * Self.ms])
        #expect(blame.map(\.wakeups) == [1])
    }

    @Test func wakeupsQueuedBeforeALongJobStartedWaitBehindItToo() {
        var a = aggregator()
        let t = Self.t0
        a.apply([
            RuntimeEvent(time: t, kind: .spawned, task: 23, extra: 1),
            RuntimeEvent(
                time: t + 1 * Self.ms, kind: .scheduled, task: 7, worker: 0, detail: UInt16(WakeSource.task.rawValue)),
            RuntimeEvent(
                time: t + 2 * Self.ms, kind: .scheduled, task: 8, worker: 0, detail: UInt16(WakeSource.task.rawValue)),
            RuntimeEvent(time: t + 3 * Self.ms, kind: .runStarted, task: 23, worker: 0),
            RuntimeEvent(time: t + 20 * Self.ms, kind: .workerBlocked, task: 23, worker: 0, arg: t + 3 * Self.ms),
            RuntimeEvent(
                time: t + 30 * Self.ms, kind: .scheduled, task: 9, worker: 0, detail: UInt16(WakeSource.task.rawValue)),
            // Woken again while still queued: the same wait, not another wakeup.
            RuntimeEvent(
                time: t + 40 * Self.ms, kind: .scheduled, task: 9, worker: 0, detail: UInt16(WakeSource.task.rawValue)),
        ])
        let blame = publish(&a, at: 100 * Self.ms).latency.blame
        #expect(blame.map(\.wakeups) == [3])
        #expect(blame.map(\.worstWaitNanos) == [99 * Self.ms], "task 7 has waited since 1 ms")
        a.apply([
            RuntimeEvent(time: t + 200 * Self.ms, kind: .runFinished, task: 23, worker: 0),
            RuntimeEvent(time: t + 201 * Self.ms, kind: .runStarted, task: 8, worker: 0),
            RuntimeEvent(time: t + 202 * Self.ms, kind: .runFinished, task: 8, worker: 0),
        ])
        let ended = publish(&a, at: 300 * Self.ms).latency.blame
        #expect(ended.map(\.worstWaitNanos) == [199 * Self.ms], "task 8 ran after 199 ms")
        #expect(ended.map(\.blockedNanos) == [197 * Self.ms])
    }
}
