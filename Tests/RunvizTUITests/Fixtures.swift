// Hand-built snapshots for the render and key tests: a small, busy runtime whose every number is
// chosen so each panel's exact text can be asserted.

import RunvizObservation
import RunvizTelemetry

@testable import RunvizTUI

enum Fixtures {
    static let now: UInt64 = 10_000_000_000
    static let ms: UInt64 = 1_000_000
    static let us: UInt64 = 1_000

    static func task(
        _ id: UInt64, _ name: String, _ state: TaskSnapshot.State, since: UInt64 = now,
        handle: JoinHandleState = .held
    ) -> TaskSnapshot {
        TaskSnapshot(
            id: TaskID(id), name: name, state: state, since: since, spawnedAt: since, polls: 12, wakes: 11,
            busyNanos: 350 * us, longestPollNanos: 80 * us, handle: handle)
    }

    static var runtime: RuntimeSnapshot {
        RuntimeSnapshot(
            configuration: ConfigurationSummary(
                workers: 2, maxBlockingThreads: 512, blockedThresholdNanos: 100 * ms, instrumentation: true),
            takenAt: now, uptimeNanos: 5_025 * 1_000 * ms,
            workers: [
                WorkerSnapshot(
                    index: 0, state: .running(TaskID(42), name: "echo-conn", forNanos: 35 * us), busyRatio: 0.73,
                    busyHistory: [0, 0.25, 0.5, 0.75, 1], runs: 1_000, runsPerSecond: 12_345, steals: 4,
                    localQueueDepth: 3),
                WorkerSnapshot(
                    index: 1, state: .blocked(TaskID(7), name: "blocker", forNanos: 1_200 * ms), busyRatio: 1,
                    busyHistory: [1, 1, 1], runs: 10, runsPerSecond: 0, steals: 0, localQueueDepth: 5),
            ],
            injectQueueDepth: 2, readyQueueHistory: [0, 1, 2, 4, 8],
            queuedTasks: [
                QueuedTask(id: TaskID(51), name: "spawn-burst", worker: nil, waitingNanos: 1_200 * us),
                QueuedTask(id: TaskID(52), name: "spawn-burst", worker: 0, waitingNanos: 35 * us),
            ],
            blockingPool: BlockingPoolSnapshot(threads: 3, busy: 1, queued: 0, completed: 17),
            tasks: [
                task(7, "blocker", .running(worker: 1), since: now - 1_200 * ms),
                task(17, "echo-conn", .parked(.io(fd: 12, interest: .read)), since: now - 1_200 * ms, handle: .dropped),
                task(18, "sleeper", .parked(.timer(deadline: now + 120 * ms)), since: now - 10 * ms),
                task(19, "locker", .parked(.mutex(id: 1)), since: now - 3 * ms),
                task(20, "consumer", .parked(.channel(id: 2, sending: false)), since: now - 40 * ms),
                task(21, "joiner", .parked(.join(TaskID(5))), since: now - 2_500 * ms, handle: .awaited(by: TaskID(3))),
                task(42, "echo-conn", .running(worker: 0), since: now - 35 * us, handle: .awaited(by: TaskID(3))),
                task(51, "spawn-burst", .notYetPolled, since: now - 1_200 * us),
                task(52, "spawn-burst", .queued, since: now - 35 * us),
            ],
            taskCounts: TaskCounts(
                alive: 9, notYetPolled: 1, queued: 1, running: 2,
                parked: [.io: 1, .timer: 1, .mutex: 1, .channel: 1, .join: 1], finished: 1_234),
            fds: [
                FDSnapshot(
                    fd: 12, interest: .read, owner: TaskID(17), ownerName: "echo-conn", timesReady: 1_234,
                    lastReady: now - 3 * ms, lastReadiness: [.read, .write]),
                FDSnapshot(
                    fd: 13, interest: [.read, .write], owner: TaskID(42), ownerName: "echo-conn", timesReady: 5),
            ],
            wakeups: [
                WakeupChain(
                    source: .timer, sourceArgument: now, task: TaskID(18), taskName: "sleeper", queuedBehind: 0,
                    worker: 0, latencyNanos: 12 * us, wokenAt: now - 5 * ms),
                WakeupChain(
                    source: .task, sourceArgument: 4, task: TaskID(9), taskName: "consumer", queuedBehind: 1, worker: 1,
                    latencyNanos: 8 * us, wokenAt: now - 4 * ms),
                WakeupChain(
                    source: .io, sourceArgument: 17, readiness: .read, task: TaskID(42), taskName: "echo-conn",
                    queuedBehind: 3, worker: 1, latencyNanos: 35 * us, wokenAt: now - 2 * ms),
            ],
            wakeupsPerSecond: [.io: 12_345, .timer: 3, .task: 1],
            replies: ReplyLatency(
                replies: 12_300, p50Nanos: 35_000, p99Nanos: 120_000, maxNanos: 1_200_000, awaiting: 2,
                oldestAwaitingNanos: 40_000),
            totals: Totals(events: 1_000_000, eventsPerSecond: 120_000, droppedEvents: 0)
        )
    }

    static var timeline: TaskTimeline {
        let start: UInt64 = now - 10 * ms
        return TaskTimeline(
            task: TaskID(42), name: "echo-conn",
            entries: [
                .init(time: start, step: .spawned),
                .init(time: start + 5 * us, step: .scheduled(source: .spawn, queuedBehind: 0)),
                .init(time: start + 12 * us, step: .runStarted(worker: 1)),
                .init(time: start + 20 * us, step: .interestRegistered(fd: 12, interest: .read)),
                .init(time: start + 21 * us, step: .parked(.io(fd: 12, interest: .read))),
                .init(time: start + 22 * us, step: .runFinished(worker: 1, nanos: 10 * us)),
                .init(time: start + 1_500 * us, step: .fdReady(fd: 12, readiness: .read)),
                .init(time: start + 1_502 * us, step: .scheduled(source: .io, queuedBehind: 2)),
                .init(time: start + 1_537 * us, step: .runStarted(worker: 1)),
            ],
            pollPercentiles: [12 * us, 30 * us, 80 * us], latencyPercentiles: [5 * us, 9 * us, 35 * us])
    }

    static var snapshot: DashboardSnapshot {
        DashboardSnapshot(
            runtime: runtime,
            echo: EchoSnapshot(
                address: "127.0.0.1:7000", mode: .tasks, openConnections: 120, taskConnections: 118,
                threadConnections: 2, totalConnections: 5_000, roundTripsPerSecond: 12_345, bytesPerSecond: 1_572_864,
                acceptBackoffs: 0, connectionErrors: 0),
            process: ProcessSnapshot(
                residentBytes: 24_536_678, virtualBytes: 1_288_490_189, threads: 14, cpuPercent: 45, uiCPUPercent: 1.5),
            demos: DemoSnapshot(
                join: .init(firstMillis: 200, secondMillis: 100, concurrentNanos: 201 * ms, sequentialNanos: 302 * ms),
                lastAction: "join demo started"),
            lints: [Lint(kind: .blockedWorker, task: TaskID(7), taskName: "blocker", worker: 1, nanos: 1_200 * ms)],
            timeline: nil, instrumentationCostNanos: 85, syntheticClients: 100)
    }
}
