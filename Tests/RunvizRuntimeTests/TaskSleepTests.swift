// Facts about the standard library's sleeps in a runviz task, read from the raw events and the
// runtime's counters: each form (`Task.sleep(for:)`, `Task.sleep(nanoseconds:)`,
// `ContinuousClock.sleep`, `SuspendingClock.sleep` with a tolerance) parks the task on the timer heap
// with the deadline it asked for, the timer fires at or after that deadline and wakes the task with
// the cause "timer", and the task resumes no earlier, in its clock's time or runviz's. A cancelled
// sleep throws at once (shutdown's too); its wake job stays on the heap, a no-op, until its deadline,
// or until shutdown hands it to Swift's own timer. (SwiftRuntime/DefaultExecutor.swift: the scheduler is a
// SchedulingExecutor, so the sleeps of the tasks that prefer it reach it, installed or not.)

import Foundation
import RunvizObservation
import RunvizTelemetry
import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct TaskSleepTests {
    enum Form: String, CaseIterable, Sendable {
        case taskSleepFor, taskSleepNanoseconds, continuousClock, suspendingClockWithTolerance

        func sleep(_ duration: Duration) async throws {
            switch self {
            case .taskSleepFor: try await Task.sleep(for: duration)
            case .taskSleepNanoseconds: try await Task.sleep(nanoseconds: duration.nanoseconds)
            case .continuousClock: try await ContinuousClock().sleep(for: duration)
            case .suspendingClockWithTolerance:
                try await SuspendingClock().sleep(for: duration, tolerance: .milliseconds(10))
            }
        }

        /// The sleep's own clock, read before and after.
        func elapsed(_ body: () async throws -> Void) async rethrows -> Duration {
            switch self {
            case .suspendingClockWithTolerance: try await SuspendingClock().measure(body)
            default: try await ContinuousClock().measure(body)
            }
        }
    }

    /// What one sleeper saw, in runviz's clock (monotonic ns) and in its sleep's clock.
    struct Sleep: Sendable {
        let task: UInt64
        let before: UInt64
        let after: UInt64
        let elapsed: Duration
    }

    func events(_ merger: EventMerger, until condition: ([RuntimeEvent]) -> Bool) -> [RuntimeEvent] {
        var seen: [RuntimeEvent] = []
        let deadline = Date().addingTimeInterval(5)
        repeat {
            seen += merger.drain()
            if condition(seen) { break }
            usleep(2_000)
        } while Date() < deadline
        return seen
    }

    @Test(arguments: Form.allCases)
    func aSleepParksOnTheHeapWithItsDeadlineAndWakesByTheTimer(_ form: Form) throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let merger = EventMerger(hub: rt.telemetry)
        let duration = Duration.milliseconds(50)
        let h = rt.spawn(name: "sleeper") { () -> Sleep in
            let before = Runtime.now
            let elapsed = try await form.elapsed { try await form.sleep(duration) }
            return Sleep(task: Runtime.currentTask.raw, before: before, after: Runtime.now, elapsed: elapsed)
        }
        let sleep = try rt.blockOn { try await h.value }
        #expect(sleep.elapsed >= duration, "slept \(sleep.elapsed) by its own clock")
        #expect(sleep.after - sleep.before >= duration.nanoseconds)
        #expect(rt.telemetry.metrics.timersFired == 1)
        let timerWake = UInt16(WakeSource.timer.rawValue)
        let isTimerWake = { (e: RuntimeEvent) in e.kind == .scheduled && e.task == sleep.task && e.detail == timerWake }
        let seen = events(merger) { $0.contains(where: isTimerWake) }
        let park = try #require(
            seen.first { e in
                guard e.kind == .parked && e.task == sleep.task else { return false }
                if case .timer = ParkReason(detail: e.detail, arg: e.arg, extra: e.extra) { return true }
                return false
            })
        let deadline = park.arg
        // The deadline is the one asked for: `duration` after the sleep began, give or take the
        // time the standard library took between reading its clock and handing over the job.
        #expect(deadline >= sleep.before + duration.nanoseconds - 1_000_000)
        #expect(deadline <= park.time + duration.nanoseconds)
        let fired = try #require(seen.first { $0.kind == .timerFired && $0.task == sleep.task })
        #expect(fired.arg == deadline)
        #expect(fired.time >= deadline)
        let wake = try #require(seen.first(where: isTimerWake))
        #expect(wake.arg == deadline)
        #expect(wake.time >= deadline)
        #expect(sleep.after >= deadline)
        #expect(rt.scheduler.driver.timers.count == 0)
    }

    @Test func aCancelledSleepThrowsAtOnceAndItsWakeJobWaitsForItsDeadline() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let timers = rt.scheduler.driver.timers
        let h = rt.spawn(name: "sleeper") { try await Task.sleep(for: .milliseconds(300)) }
        #expect(eventually { timers.count == 1 })
        let cancelledAt = ContinuousClock.now
        h.cancel()
        #expect(throws: CancellationError.self) { try rt.blockOn { try await h.value } }
        #expect(ContinuousClock.now - cancelledAt < .milliseconds(200))
        #expect(timers.count == 1, "the wake job stays until its deadline")
        #expect(eventually { timers.count == 0 && rt.telemetry.metrics.timersFired == 1 })
    }

    @Test func shutdownCancelsASleepingTaskAtOnceAndGivesItsWakeJobToSwiftsTimer() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        let timers = rt.scheduler.driver.timers
        let h = rt.spawn(name: "sleeper") { try await Task.sleep(for: .seconds(10)) }
        #expect(eventually { timers.count == 1 })
        let start = ContinuousClock.now
        rt.shutdown()
        #expect(ContinuousClock.now - start < .seconds(2), "shutdown waited for the sleep")
        #expect(rt.tasksAbandonedAtShutdown == 0)
        #expect(h.isFinished)
        #expect(timers.count == 0, "the wake job went to Swift's own timer")
    }

    @Test func manyShortSleepsInALoopEachSleepTheirTime() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let h = rt.spawn(name: "sleeper") { () -> [Duration] in
            var slept: [Duration] = []
            for _ in 0..<20 {
                slept.append(try await ContinuousClock().measure { try await Task.sleep(for: .milliseconds(2)) })
            }
            return slept
        }
        let slept = try rt.blockOn { try await h.value }
        #expect(slept.count == 20)
        #expect(slept.allSatisfy { $0 >= .milliseconds(2) }, "\(slept)")
        #expect(rt.telemetry.metrics.timersFired == 20)
        #expect(eventually { rt.scheduler.driver.timers.count == 0 })
    }
}
