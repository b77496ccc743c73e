// `Task.sleep` and clock sleeps: a cancelled sleep throws CancellationError promptly (within
// `promptly`, far under its 30 s), a sleep in a task cancelled already throws at once, and every
// sleep that runs to its deadline lasts at least what was asked and less than that plus `slack`
// (generous: two cores shared, sanitizer builds). Only pass/fail lines are compared, never times.

let promptly = Duration.seconds(2)
let slack = Duration.seconds(1)

func verdict(_ passed: Bool) -> String { passed ? "pass" : "FAIL" }

/// Sleeps with `sleep`, measured on `clock`; a line saying whether it lasted [requested, requested + slack).
func timedSleep<C: Clock>(
    _ name: String, _ requested: Duration, on clock: C, _ trace: Trace, _ sleep: () async throws -> Void
) async -> String where C.Duration == Duration {
    let start = clock.now
    do { try await sleep() } catch { return "\(name): threw \(error)" }
    let slept = start.duration(to: clock.now)
    trace.onGlobal("after \(name)")
    return
        "\(name): at least \(requested) and under it + \(slack): \(verdict(slept >= requested && slept < requested + slack))"
}

/// The sleeps of "Task.sleep: accuracy" that run to their deadline.
let accuracySleeps = 7

let sleepCases: [ConformanceCase] = [
    ConformanceCase("Task.sleep: cancellation", completedSleeps: 1) { trace in
        let clock = ContinuousClock()
        let sleeping = Gate()
        let task = Task {
            sleeping.open()
            do {
                try await Task.sleep(for: .seconds(30))
                return "completed"
            } catch {
                trace.onGlobal("after the cancelled sleep")
                return "\(type(of: error))"
            }
        }
        await sleeping.wait()
        // Let the task reach its sleep before it is cancelled (cancelled before, it throws at once too).
        try? await Task.sleep(for: .milliseconds(20))
        let cancelledAt = clock.now
        task.cancel()
        let outcome = await task.value
        let waited = cancelledAt.duration(to: clock.now)
        trace.line("a 30 s sleep, cancelled: \(outcome)")
        trace.line("threw within \(promptly) of its cancellation: \(verdict(waited < promptly))")

        let alreadyCancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let start = clock.now
            do {
                try await Task.sleep(for: .seconds(30))
                return "completed"
            } catch {
                return "\(type(of: error)), within \(promptly): \(verdict(start.duration(to: clock.now) < promptly))"
            }
        }
        trace.line("a 30 s sleep in a task cancelled already: \(await alreadyCancelled.value)")
    },

    ConformanceCase("Task.sleep: accuracy", completedSleeps: accuracySleeps) { trace in
        let continuous = ContinuousClock()
        let suspending = SuspendingClock()
        trace.line(
            await timedSleep("Task.sleep(nanoseconds: 10 ms)", .milliseconds(10), on: continuous, trace) {
                try await Task.sleep(nanoseconds: 10_000_000)
            })
        trace.line(
            await timedSleep("Task.sleep(for: 50 ms)", .milliseconds(50), on: continuous, trace) {
                try await Task.sleep(for: .milliseconds(50))
            })
        trace.line(
            await timedSleep("Task.sleep(for: 30 ms, tolerance: 5 ms)", .milliseconds(30), on: continuous, trace) {
                try await Task.sleep(for: .milliseconds(30), tolerance: .milliseconds(5))
            })
        trace.line(
            await timedSleep(
                "Task.sleep(until: now + 40 ms, ContinuousClock)", .milliseconds(40), on: continuous, trace
            ) {
                try await Task.sleep(until: continuous.now + .milliseconds(40), clock: continuous)
            })
        trace.line(
            await timedSleep("SuspendingClock.sleep(for: 20 ms)", .milliseconds(20), on: suspending, trace) {
                try await suspending.sleep(for: .milliseconds(20))
            })
        trace.line(
            await timedSleep("ContinuousClock.sleep(until: now + 15 ms)", .milliseconds(15), on: continuous, trace) {
                try await continuous.sleep(until: continuous.now + .milliseconds(15))
            })
        trace.line(
            await timedSleep("Task.sleep(for: 100 ms)", .milliseconds(100), on: continuous, trace) {
                try await Task.sleep(for: .milliseconds(100))
            })
    },

    ConformanceCase("Task.sleep: many at once", completedSleeps: 20) { trace in
        let clock = ContinuousClock()
        let lines = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<20 {
                group.addTask {
                    let requested = Duration.milliseconds(5 * (index + 1))
                    let start = clock.now
                    try? await Task.sleep(for: requested)
                    let slept = start.duration(to: clock.now)
                    trace.onGlobal("after a concurrent sleep")
                    return (index, slept >= requested && slept < requested + slack)
                }
            }
            var passed = Array(repeating: false, count: 20)
            for await (index, ok) in group { passed[index] = ok }
            return passed
        }
        trace.line("20 concurrent sleeps of 5…100 ms, each within its bounds: \(verdict(lines.allSatisfy { $0 }))")
    },
]
