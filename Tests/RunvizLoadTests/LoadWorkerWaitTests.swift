// LoadWorkerWaitTests: the worker sleeps until its next timer to the nanosecond — a timer 30 µs ahead is a
// 30 µs wait, not epoll_wait's whole millisecond — and the wait never ends before the timer is due.

import CRunvizLinux
import Testing

@testable import RunvizLoad

@Suite struct LoadWorkerWaitTests {
    func idleWorker() throws -> LoadWorker {
        let target = try LoadTarget.resolve(host: "127.0.0.1", port: 7878)
        let plan = LoadGenerator(LoadOptions(clients: 2, rate: 10, duration: 60, threads: 1))
            .makePlan(worker: 0, threads: 1, target: target, startNs: runviz_now_ns())
        var worker = try LoadWorker(plan: plan, control: LoadControl(), shared: WorkerShared())
        worker.admitted = plan.slotCount
        worker.nextHousekeepingNs = worker.now + LoadWorker.housekeepingIntervalNs
        return worker
    }

    @Test func aTimerMicrosecondsAheadIsWaitedForToTheNanosecond() throws {
        var worker = try idleWorker()
        defer { worker.finish() }
        #expect(worker.waitTimeoutNs() == LoadWorker.housekeepingIntervalNs)
        worker.wheel.schedule(1, dueNs: worker.now + 30_000, in: worker.conns)
        worker.wheel.schedule(0, dueNs: worker.now + 1_500_000, in: worker.conns)
        #expect(worker.waitTimeoutNs() == 30_000)
        worker.wheel.cancel(1, in: worker.conns)
        #expect(worker.waitTimeoutNs() == 1_500_000)
    }

    @Test func theWaitDoesNotEndBeforeTheTimerIsDue() throws {
        var worker = try idleWorker()
        defer { worker.finish() }
        let due = runviz_now_ns() + 200_000
        worker.now = runviz_now_ns()
        worker.wheel.schedule(0, dueNs: due, in: worker.conns)
        let ready = worker.waitForEvents(timeoutNs: worker.waitTimeoutNs())
        #expect(ready == 0)
        #expect(runviz_now_ns() >= due)
    }
}
