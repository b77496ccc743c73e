// The conformance suite with runviz installed as the process's global executor, first thing in an
// async main (where a Hummingbird app installs it). Arguments: the names of the cases to run (all
// when none). Prints what ConformanceOnDefault prints, and after each case three checks read from
// runviz's own counters, as `[runviz] <check>: ok|FAIL|unmeasured (<detail>)` lines that
// ConformanceTests checks apart from the compared output:
//   jobs    the workers ran jobs during the case (their `runs` grew)
//   code    every place the case noted as global-executor code ran on a runviz worker (runviz-w…)
//   timers  (cases with sleeps) runviz's timer heap fired at least one timer per completed sleep

import ConformanceCases
import Glibc
import RunvizRuntime

let runtime: Runtime
do {
    runtime = try Runtime.installAsGlobalExecutor()
} catch {
    print("!! install failed: \(error)")
    exit(1)
}

func jobsRun() -> UInt64 { runtime.telemetry.workers.reduce(0) { $0 + $1.runs } }

/// Timers fired on runviz's heap, or nil where the runtime does not count them yet (`Task.sleep`
/// sleeps on Dispatch's timers until it parks on runviz's heap; then: `runtime.telemetry.metrics.timersFired`).
func timersFired() -> UInt64? { nil }

var jobsBefore: UInt64 = 0
var timersBefore: UInt64? = nil

func check(_ name: String, _ passed: Bool, _ detail: String) {
    print("[runviz] \(name): \(passed ? "ok" : "FAIL") (\(detail))")
}

await Conformance.run(Array(CommandLine.arguments.dropFirst())) { _ in
    jobsBefore = jobsRun()
    timersBefore = timersFired()
} afterCase: { conformanceCase, trace in
    // A worker counts a job once it returns, which may be just after the job woke this task.
    var jobs = jobsRun() - jobsBefore
    for _ in 0..<100 where jobs == 0 {
        usleep(10_000)
        jobs = jobsRun() - jobsBefore
    }
    check("jobs", jobs > 0, "workers ran \(jobs) jobs")

    let places = trace.observations
    let elsewhere = places.filter { !$0.thread.hasPrefix("runviz-w") }
    var escaped: [String] = []
    for place in elsewhere where !escaped.contains("\(place.label) on \(place.thread)") {
        escaped.append("\(place.label) on \(place.thread)")
    }
    check(
        "code", !places.isEmpty && elsewhere.isEmpty,
        places.isEmpty
            ? "no place noted"
            : elsewhere.isEmpty
                ? "\(places.count) of \(places.count) places on runviz workers"
                : "\(elsewhere.count) of \(places.count) places elsewhere: \(escaped.joined(separator: "; "))")

    if conformanceCase.completedSleeps > 0 {
        if let before = timersBefore, let after = timersFired() {
            check(
                "timers", after - before >= UInt64(conformanceCase.completedSleeps),
                "timersFired +\(after - before), \(conformanceCase.completedSleeps) sleeps")
        } else {
            print("[runviz] timers: unmeasured (no timersFired counter in this runtime)")
        }
    }
}
runtime.shutdown()
