// The checks a conformance helper with runviz installed makes after each case, from runviz's own
// counters, printed as `[runviz] <check>: ok|FAIL (<detail>)` lines that ConformanceTests
// reads apart from the compared output:
//   jobs    the workers ran jobs during the case (their `runs` grew)
//   code    every place the case noted as global-executor code ran on a runviz worker (runviz-w…)
//   timers  (cases with sleeps) runviz's timer heap fired at least one timer per completed sleep
// Shared by ConformanceOnRunviz (installed from an async main) and ConformanceOnRunvizSyncMain
// (installed from a synchronous main).

import ConformanceCases
import Glibc
import RunvizRuntime

@MainActor
public final class RunvizChecks {
    private let runtime: Runtime
    private var jobsBefore: UInt64 = 0
    private var timersBefore: UInt64 = 0

    public init(_ runtime: Runtime) { self.runtime = runtime }

    /// Runs the cases named in `selection` (all when empty), each followed by its checks.
    public func runCases(_ selection: [String]) async {
        await Conformance.run(selection, beforeCase: { _ in self.beforeCase() }, afterCase: afterCase)
    }

    private func jobsRun() -> UInt64 { runtime.telemetry.workers.reduce(0) { $0 + $1.runs } }

    /// Timers fired on runviz's heap (`Task.sleep` and clock sleeps park there once it is installed).
    private func timersFired() -> UInt64 { runtime.telemetry.metrics.timersFired }

    private func beforeCase() {
        jobsBefore = jobsRun()
        timersBefore = timersFired()
    }

    private func afterCase(_ conformanceCase: ConformanceCase, _ trace: Trace) async {
        // A worker counts a job once it returns, which may be just after the job woke this task.
        var jobs = jobsRun() - jobsBefore
        for _ in 0..<100 where jobs == 0 {
            usleep(10_000)
            jobs = jobsRun() - jobsBefore
        }
        report("jobs", jobs > 0, "workers ran \(jobs) jobs")

        let places = trace.observations
        let elsewhere = places.filter { !$0.thread.hasPrefix("runviz-w") }
        var escaped: [String] = []
        for place in elsewhere where !escaped.contains("\(place.label) on \(place.thread)") {
            escaped.append("\(place.label) on \(place.thread)")
        }
        report(
            "code", !places.isEmpty && elsewhere.isEmpty,
            places.isEmpty
                ? "no place noted"
                : elsewhere.isEmpty
                    ? "\(places.count) of \(places.count) places on runviz workers"
                    : "\(elsewhere.count) of \(places.count) places elsewhere: \(escaped.joined(separator: "; "))")

        if conformanceCase.completedSleeps > 0 {
            let fired = timersFired() - timersBefore
            report(
                "timers", fired >= UInt64(conformanceCase.completedSleeps),
                "timersFired +\(fired), \(conformanceCase.completedSleeps) sleeps")
        }
    }

    private func report(_ check: String, _ passed: Bool, _ detail: String) {
        Conformance.print("[runviz] \(check): \(passed ? "ok" : "FAIL") (\(detail))")
    }
}
