// Facts about a worker's local run queue: FIFO for its owner, a thief takes the older half (at least
// one) and leaves the rest in order, and the published depth follows every change. The jobs are
// stand-ins (numbered pointers) that are moved around and never run.

import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct RunQueueTests {
    private func job(_ n: Int, origin: ScheduledJob.Origin = .taskExecutor) -> ScheduledJob {
        ScheduledJob(unsafeBitCast(UnsafeRawPointer(bitPattern: n * 16)!, to: UnownedJob.self), origin: origin)
    }
    private func number(_ job: ScheduledJob) -> Int {
        Int(bitPattern: unsafeBitCast(job.job, to: UnsafeRawPointer.self)) / 16
    }

    private func filled(_ count: Int) -> (RunQueue, WorkerMetrics) {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        for n in 1...count { _ = queue.push(job(n)) }
        return (queue, metrics)
    }

    @Test func pushSaysHowManyJobsAreAheadAndPopIsFIFO() {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        #expect(queue.push(job(1)) == 0)
        #expect(queue.push(job(2)) == 1)
        #expect(metrics.localQueueDepth == 2)
        #expect(queue.pop().map(number) == 1)
        #expect(queue.pop().map(number) == 2)
        #expect(queue.pop() == nil)
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func stealHalfTakesTheOlderHalfRoundedUpAndLeavesTheRestInOrder() {
        let (queue, metrics) = filled(5)
        #expect(queue.stealHalf().map(number) == [1, 2, 3])
        #expect(queue.count == 2)
        #expect(metrics.localQueueDepth == 2)
        #expect(queue.pop().map(number) == 4)
        #expect(queue.pop().map(number) == 5)
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func stealHalfOfOneJobTakesIt() {
        let (queue, metrics) = filled(1)
        #expect(queue.stealHalf().map(number) == [1])
        #expect(queue.count == 0)
        #expect(metrics.localQueueDepth == 0)
        #expect(queue.pop() == nil)
    }

    @Test func stealHalfOfAnEmptyQueueTakesNothing() {
        let (queue, metrics) = filled(2)
        _ = queue.pop()
        _ = queue.pop()
        #expect(queue.stealHalf().isEmpty)
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func takeAllEmptiesTheQueueInOrderWithEachJobsOrigin() {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        _ = queue.push(job(1))
        _ = queue.push(job(2, origin: .global))
        let all = queue.takeAll()
        #expect(all.map(number) == [1, 2])
        #expect(all.map(\.origin) == [.taskExecutor, .global])
        #expect(queue.count == 0)
        #expect(metrics.localQueueDepth == 0)
    }
}
