// A job in a run queue, with the way its worker must run it, which depends on how it came in:
// - `taskExecutor`: Swift handed it to the Scheduler as a TaskExecutor (a task that prefers runviz:
//   everything `Runtime.spawn` starts). It runs as that task executor, as SE-0417 asks.
// - `global`: Swift handed it to its global executor, which runviz took over
//   (`Runtime.installAsGlobalExecutor`). It runs the way the default global executor runs it, on
//   the generic executor (SwiftRuntime.genericExecutor): run as a task executor instead, its task
//   would be re-enqueued at its next hop to nonisolated code, one more job per hop.

struct ScheduledJob {
    enum Origin: UInt8 {
        case taskExecutor
        case global
    }

    let job: UnownedJob
    let origin: Origin

    init(_ job: UnownedJob, origin: Origin) {
        self.job = job
        self.origin = origin
    }
}
