// Facts about a worker's local run queue: FIFO for its owner, a thief takes the older half (at least
// one) into its own queue and leaves the rest in order, a full ring spills its older half to the
// inject queue in order and keeps the new job, the indices wrap, and the published depth follows every
// change. The jobs are stand-ins (numbered pointers) that are moved around and never run. The last
// test is a stress test (an owner pushing and popping, thieves stealing from it and from each
// other): every job is taken exactly once; run it under ThreadSanitizer too
// (`swift test --sanitize=thread --filter RunQueueTests`).

import RunvizLock
import RunvizSystem
import RunvizTelemetry
import Synchronization
import Testing

@testable import RunvizRuntime

@Suite struct RunQueueTests {
    private static func job(_ n: Int, origin: ScheduledJob.Origin = .taskExecutor) -> ScheduledJob {
        ScheduledJob(unsafeBitCast(UnsafeRawPointer(bitPattern: n * 16)!, to: UnownedJob.self), origin: origin)
    }
    private static func number(_ job: ScheduledJob) -> Int {
        Int(bitPattern: unsafeBitCast(job.job, to: UnsafeRawPointer.self)) / 16
    }
    private func job(_ n: Int, origin: ScheduledJob.Origin = .taskExecutor) -> ScheduledJob {
        Self.job(n, origin: origin)
    }
    private func number(_ job: ScheduledJob) -> Int { Self.number(job) }

    private let inject = InjectQueue(metrics: RuntimeMetrics())

    private func filled(_ count: Int) -> (RunQueue, WorkerMetrics) {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        for n in 1...count { _ = queue.push(job(n), overflow: inject) }
        return (queue, metrics)
    }

    private func drain(_ queue: RunQueue) -> [Int] {
        var numbers: [Int] = []
        while let job = queue.pop() { numbers.append(number(job)) }
        return numbers
    }

    @Test func pushSaysHowManyJobsAreAheadAndPopIsFIFO() {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        #expect(queue.push(job(1), overflow: inject) == .local(ahead: 0))
        #expect(queue.push(job(2), overflow: inject) == .local(ahead: 1))
        #expect(metrics.localQueueDepth == 2)
        #expect(queue.pop().map(number) == 1)
        #expect(queue.pop().map(number) == 2)
        #expect(queue.pop() == nil)
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func stealHalfTakesTheOlderHalfRoundedUpAndLeavesTheRestInOrder() {
        let (queue, metrics) = filled(5)
        let thiefMetrics = WorkerMetrics(index: 1)
        let thief = RunQueue(metrics: thiefMetrics)
        let stolen = queue.stealHalf(into: thief)
        #expect(stolen.map { number($0.job) } == 1)
        #expect(stolen?.count == 3)
        #expect(thief.count == 2)
        #expect(thiefMetrics.localQueueDepth == 2)
        #expect(drain(thief) == [2, 3])
        #expect(queue.count == 2)
        #expect(metrics.localQueueDepth == 2)
        #expect(drain(queue) == [4, 5])
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func stealHalfOfOneJobTakesIt() {
        let (queue, metrics) = filled(1)
        let thief = RunQueue(metrics: WorkerMetrics(index: 1))
        let stolen = queue.stealHalf(into: thief)
        #expect(stolen.map { number($0.job) } == 1)
        #expect(stolen?.count == 1)
        #expect(thief.count == 0)
        #expect(queue.count == 0)
        #expect(metrics.localQueueDepth == 0)
        #expect(queue.pop() == nil)
    }

    @Test func stealHalfOfAnEmptyQueueTakesNothing() {
        let (queue, metrics) = filled(2)
        _ = queue.pop()
        _ = queue.pop()
        #expect(queue.stealHalf(into: RunQueue(metrics: WorkerMetrics(index: 1))) == nil)
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func aThiefWithLessThanHalfARingFreeTakesNothing() {
        let (queue, _) = filled(10)
        let (thief, _) = filled(Int(RunQueue.capacity) / 2 + 1)
        #expect(queue.stealHalf(into: thief) == nil)
        #expect(queue.count == 10)
    }

    @Test func aFullRingSpillsItsOlderHalfToTheInjectQueueInOrderAndKeepsTheNewJob() {
        let capacity = Int(RunQueue.capacity)
        let runtimeMetrics = RuntimeMetrics()
        let inject = InjectQueue(metrics: runtimeMetrics)
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        for n in 1...capacity { #expect(queue.push(job(n), overflow: inject) == .local(ahead: n - 1)) }
        #expect(
            queue.push(job(capacity + 1), overflow: inject) == .spilled(ahead: capacity / 2, moved: capacity / 2))
        #expect(queue.count == capacity / 2 + 1)
        #expect(metrics.localQueueDepth == capacity / 2 + 1)
        #expect(runtimeMetrics.injectQueueDepth == capacity / 2)
        var spilled: [Int] = []
        while let job = inject.pop() { spilled.append(number(job)) }
        #expect(spilled == Array(1...capacity / 2))
        #expect(drain(queue) == Array(capacity / 2 + 1...capacity + 1))
    }

    @Test func theIndicesWrapAroundTheRing() {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        let thief = RunQueue(metrics: WorkerMetrics(index: 1))
        var next = 1
        var taken: [Int] = []
        // 5 in, 2 out by the owner, the older half of what is left to a thief: the ring goes round
        // many times, with every slot used at every offset.
        for _ in 0..<400 {
            for _ in 0..<5 {
                let ahead = queue.count
                #expect(queue.push(job(next), overflow: inject) == .local(ahead: ahead))
                next += 1
            }
            taken += [queue.pop(), queue.pop()].compactMap { $0.map(number) }
            if let stolen = queue.stealHalf(into: thief) { taken += [number(stolen.job)] + drain(thief) }
        }
        taken += drain(queue)
        #expect(inject.count == 0)
        #expect(taken == Array(1..<next))
        #expect(metrics.localQueueDepth == 0)
    }

    @Test func takeAllEmptiesTheQueueInOrderWithEachJobsOrigin() {
        let metrics = WorkerMetrics(index: 0)
        let queue = RunQueue(metrics: metrics)
        _ = queue.push(job(1), overflow: inject)
        _ = queue.push(job(2, origin: .global), overflow: inject)
        let all = queue.takeAll()
        #expect(all.map(number) == [1, 2])
        #expect(all.map(\.origin) == [.taskExecutor, .global])
        #expect(queue.count == 0)
        #expect(metrics.localQueueDepth == 0)
        #expect(queue.pop() == nil)
    }

    /// What the threads of the stress test share.
    private final class Stress: Sendable {
        let jobs: Int
        let owner = RunQueue(metrics: WorkerMetrics(index: 0))
        let inject = InjectQueue(metrics: RuntimeMetrics())
        let thieves: [RunQueue]
        /// Jobs taken so far, by anyone.
        let taken = Atomic<Int>(0)
        let spilled = Atomic<Int>(0)
        let steals = Atomic<Int>(0)
        let seen = Lock<[Int]>([])

        init(jobs: Int, thieves: Int) {
            self.jobs = jobs
            self.thieves = (1...thieves).map { RunQueue(metrics: WorkerMetrics(index: $0)) }
        }

        func took(_ numbers: [Int]) {
            taken.add(numbers.count, ordering: .relaxed)
            seen.withLock { $0 += numbers }
        }
    }

    @Test func underOwnerAndThievesAtOnceEveryJobIsTakenExactlyOnce() throws {
        let stress = Stress(jobs: 100_000, thieves: 3)
        var threads: [OSThread] = []
        for (i, mine) in stress.thieves.enumerated() {
            threads.append(
                try OSThread.start(name: "thief\(i)") {
                    var numbers: [Int] = []
                    var round = 0
                    while stress.taken.load(ordering: .relaxed) + numbers.count < stress.jobs {
                        round += 1
                        // Popped a few at a time, so that the next thief finds something here.
                        for _ in 0..<4 { if let job = mine.pop() { numbers.append(Self.number(job)) } }
                        // Mostly from the owner; every third try from the next thief, which is
                        // popping its own queue meanwhile.
                        let victim =
                            round % 3 == 0 ? stress.thieves[(i + 1) % stress.thieves.count] : stress.owner
                        if let stolen = victim.stealHalf(into: mine) {
                            stress.steals.add(1, ordering: .relaxed)
                            numbers.append(Self.number(stolen.job))
                        } else if mine.count == 0 && !numbers.isEmpty {
                            // Nothing here or there: what this thread took counts for the others' end.
                            stress.took(numbers)
                            numbers.removeAll(keepingCapacity: true)
                        }
                    }
                    while let job = mine.pop() { numbers.append(Self.number(job)) }
                    stress.took(numbers)
                })
        }
        var numbers: [Int] = []
        for n in 1...stress.jobs {
            switch stress.owner.push(Self.job(n), overflow: stress.inject) {
            case .local: break
            case .spilled, .injected: stress.spilled.add(1, ordering: .relaxed)
            }
            // Three in, one out: the ring fills, is stolen from, and spills.
            if n % 3 == 0, let job = stress.owner.pop() { numbers.append(Self.number(job)) }
        }
        while stress.taken.load(ordering: .relaxed) + numbers.count < stress.jobs {
            if let job = stress.owner.pop() ?? stress.inject.pop() {
                numbers.append(Self.number(job))
            } else if !numbers.isEmpty {
                stress.took(numbers)
                numbers.removeAll()
            }
        }
        stress.took(numbers)
        for thread in threads { thread.join() }
        // Counted per job, so that a failure says how many went missing or ran twice, not which.
        var times = [Int](repeating: 0, count: stress.jobs + 1)
        for n in stress.seen.withLock({ $0 }) { times[n] += 1 }
        #expect(times.dropFirst().filter { $0 == 0 }.count == 0, "jobs never taken")
        #expect(times.dropFirst().filter { $0 > 1 }.count == 0, "jobs taken more than once")
        #expect(times[0] == 0)
        #expect(stress.steals.load(ordering: .relaxed) > 0)
        #expect(stress.owner.count == 0 && stress.inject.count == 0)
        #expect(stress.thieves.allSatisfy { $0.count == 0 })
    }
}
