// The conformance suite with runviz installed as the process's global executor, first thing in an
// async main (where a Hummingbird app installs it). Arguments: the names of the cases to run (all
// when none). Prints what ConformanceOnDefault prints, and after each case runviz's own checks
// (Tests/ConformanceRunvizChecks).

import ConformanceCases
import ConformanceRunvizChecks
import Glibc
import RunvizRuntime

let runtime: Runtime
do {
    runtime = try Runtime.installAsGlobalExecutor()
} catch {
    print("!! install failed: \(error)")
    exit(1)
}
await RunvizChecks(runtime).runCases(Array(CommandLine.arguments.dropFirst()))
runtime.shutdown()
