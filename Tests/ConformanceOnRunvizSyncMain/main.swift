// The conformance suite with runviz installed as the process's global executor, first thing in a
// synchronous main, before anything asynchronous exists; then a main-actor task runs the cases
// while `dispatchMain` hands the main queue to Dispatch (what an async main does). Arguments: the
// names of the cases to run (all when none). Prints what ConformanceOnDefault prints, and after
// each case runviz's own checks (Tests/ConformanceRunvizChecks).

import ConformanceCases
import ConformanceRunvizChecks
import Dispatch
import Glibc
import RunvizRuntime

let runtime: Runtime
do {
    runtime = try Runtime.installAsGlobalExecutor()
} catch {
    print("!! install failed: \(error)")
    exit(1)
}
Task { @MainActor in
    await RunvizChecks(runtime).runCases(Array(CommandLine.arguments.dropFirst()))
    runtime.shutdown()
    exit(0)
}
dispatchMain()
