// Facts about the global inject queue: FIFO, its published depth follows every change, and closing
// it at shutdown takes the jobs of Swift's global executor out (in order) and refuses new ones,
// while jobs of the task executor stay and are still taken; a worker's overflow goes in as one
// batch, in order. The jobs are stand-ins (numbered pointers) that are moved around and never run.

import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct InjectQueueTests {
    private func job(_ n: Int, _ origin: ScheduledJob.Origin) -> ScheduledJob {
        ScheduledJob(unsafeBitCast(UnsafeRawPointer(bitPattern: n * 16)!, to: UnownedJob.self), origin: origin)
    }
    private func number(_ job: ScheduledJob) -> Int {
        Int(bitPattern: unsafeBitCast(job.job, to: UnsafeRawPointer.self)) / 16
    }

    @Test func pushSaysHowManyJobsAreAheadAndPopIsFIFO() {
        let metrics = RuntimeMetrics()
        let queue = InjectQueue(metrics: metrics)
        #expect(queue.push(job(1, .taskExecutor)) == 0)
        #expect(queue.push(job(2, .global)) == 1)
        #expect(metrics.injectQueueDepth == 2)
        #expect(queue.pop().map(number) == 1)
        #expect(queue.pop().map(number) == 2)
        #expect(queue.pop() == nil)
        #expect(metrics.injectQueueDepth == 0)
    }

    @Test func closeTakesTheGlobalJobsAndRefusesNewOnesButKeepsTaskExecutorJobs() {
        let metrics = RuntimeMetrics()
        let queue = InjectQueue(metrics: metrics)
        _ = queue.push(job(1, .global))
        _ = queue.push(job(2, .taskExecutor))
        _ = queue.push(job(3, .global))
        #expect(queue.close().map(number) == [1, 3])
        #expect(queue.count == 1)
        #expect(metrics.injectQueueDepth == 1)
        #expect(queue.push(job(4, .global)) == nil)
        #expect(queue.push(job(5, .taskExecutor)) == 1)
        #expect(queue.pop().map(number) == 2)
        #expect(queue.pop().map(number) == 5)
        #expect(queue.close().isEmpty)
    }

    @Test func anOverflowBatchIsAppendedInOrderAndSaysHowManyAreAheadOfItsLast() {
        let metrics = RuntimeMetrics()
        let queue = InjectQueue(metrics: metrics)
        _ = queue.push(job(1, .taskExecutor))
        let batch = [job(2, .global), job(3, .taskExecutor), job(4, .global)]
        #expect(batch.withUnsafeBufferPointer { queue.push(overflowing: $0) } == 3)
        #expect(metrics.injectQueueDepth == 4)
        var numbers: [Int] = []
        while let job = queue.pop() { numbers.append(number(job)) }
        #expect(numbers == [1, 2, 3, 4])
        #expect(metrics.injectQueueDepth == 0)
    }
}
