// Facts about the timer heap and the deadlines sleeps give it: a cancelled sleep's dud entries are
// dropped in bulk, so cancelled long sleeps cost no memory while their deadline is far; a duration
// too long for the clock is clamped to the heap's horizon, never wrapped to "now"; at shutdown the
// heap gives up its wake jobs, earliest first, keeps its other timers and refuses new wake jobs.

import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct TimerHeapTests {
    @Test func deadlinesSaturateAtTheHorizon() {
        #expect(TimerHeap.deadline(after: 5, from: 10) == 15)
        #expect(TimerHeap.deadline(after: .max, from: 10) == TimerHeap.horizon)
        #expect(TimerHeap.deadline(after: TimerHeap.horizon, from: 1_000) == TimerHeap.horizon)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(18_446_744_000).nanoseconds == 18_446_744_000_000_000_000)
        #expect(Duration.seconds(-3).nanoseconds == 0)
    }

    @Test func cancelledEntriesAreDroppedOnceTheyAreMoreThanHalf() {
        let heap = TimerHeap()
        let slots = (0..<1_000).map { TimerSlot(task: UInt64($0), deadline: 1_000 + UInt64($0)) }
        for slot in slots { _ = heap.insert(slot) }
        for slot in slots.prefix(600) {
            _ = slot.cancel()
            heap.noteCancelled()
        }
        #expect(heap.count < 500)
        let due = heap.expired(at: .max)
        #expect(due.map(\.task) == slots.suffix(400).map(\.task))
        #expect(heap.count == 0)
    }

    @Test func closingToWakeJobsTakesThemEarliestFirstAndRefusesNewOnes() {
        let heap = TimerHeap()
        let job = unsafeBitCast(UnsafeRawPointer(bitPattern: 64)!, to: UnownedJob.self)
        let wakes = [30, 10, 20].map { TimerSlot(task: UInt64($0), deadline: UInt64($0), wakeJob: job) }
        let sleeps = [15, 25].map { TimerSlot(task: UInt64($0), deadline: UInt64($0)) }
        for slot in wakes + sleeps { #expect(heap.insert(slot) != nil) }
        #expect(heap.closeToWakeJobs().map(\.task) == [10, 20, 30])
        #expect(heap.count == 2)
        #expect(heap.insert(TimerSlot(task: 40, deadline: 40, wakeJob: job)) == nil)
        #expect(heap.insert(TimerSlot(task: 50, deadline: 50)) != nil)
        #expect(heap.expired(at: .max).map(\.task) == [15, 25, 50])
    }

    @Test func tenThousandCancelledLongSleepsLeaveTheHeapSmall() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 2))
        defer { runtime.shutdown() }
        let timers = runtime.scheduler.driver.timers
        let handles = (0..<10_000).map { _ in
            runtime.spawn(name: "sleeper") { try await runtime.sleep(for: .seconds(3_600)) }
        }
        #expect(eventually(20) { timers.count == 10_000 })
        for h in handles { h.cancel() }
        #expect(eventually(20) { handles.allSatisfy(\.isFinished) })
        #expect(timers.count < 100)
    }

    @Test func aSleepTooLongForTheClockWaitsUntilCancelled() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        defer { runtime.shutdown() }
        let timers = runtime.scheduler.driver.timers
        for duration in [Duration.seconds(Int64.max), .seconds(18_446_744_000)] {
            let outcomes = Outcomes<String>()
            let handle = runtime.spawn(name: "sleeper") {
                do {
                    try await runtime.sleep(for: duration)
                    outcomes.append("woke")
                } catch {
                    outcomes.append("cancelled")
                }
            }
            #expect(eventually { timers.count == 1 || outcomes.count > 0 })
            #expect(timers.nextDeadline == TimerHeap.horizon)
            handle.cancel()
            #expect(eventually { outcomes.count == 1 })
            #expect(outcomes.all == ["cancelled"], "\(duration)")
            #expect(eventually { timers.count == 0 })
        }
    }
}
