// A job in a run queue, with the way its worker must run it, which depends on how it came in:
// - `taskExecutor`: Swift handed it to the Scheduler as a TaskExecutor (a task that prefers runviz:
//   everything `Runtime.spawn` starts). It runs as that task executor, as SE-0417 asks.
// - `global`: Swift handed it to its global executor, which runviz took over
//   (`Runtime.installAsGlobalExecutor`). It runs the way the default global executor runs it, on
//   the generic executor (SwiftRuntime.genericExecutor): run as a task executor instead, its task
//   would be re-enqueued at its next hop to nonisolated code, one more job per hop.
//
// A global job may also be the first job of a task `Runtime.spawn` started, whose `spawned` its
// scheduling records (events on) and whose start `spawn` counted (`spawnRecorded`): its worker does
// not sight it again.
//
// Invariant: one word, like the UnownedJob it carries, so the run queues hold no more than before.
// The origin and the spawn mark are the job pointer's two low bits, always 0 in the pointer itself:
// Swift allocates every job (a task, or a job of its own) at least 16-byte aligned
// (`alignas(2 * sizeof(void*))` on Job).

struct ScheduledJob {
    enum Origin: UInt {
        case taskExecutor = 0
        case global = 1
    }

    /// The job pointer with the origin in its low bit: what a run queue's slot holds.
    let bits: UInt

    /// A job back from its bits (RunQueue's slots).
    @inline(__always)
    init(bits: UInt) { self.bits = bits }

    @inline(__always)
    init(_ job: UnownedJob, origin: Origin) {
        let address = unsafeBitCast(job, to: UInt.self)
        assert(address & 3 == 0, "a job pointer with a low bit set")
        bits = address | origin.rawValue
    }

    /// The same job, marked as the first of a task whose `spawned` is recorded.
    @inline(__always)
    var markedSpawnRecorded: ScheduledJob { ScheduledJob(bits: bits | 2) }

    @inline(__always)
    var job: UnownedJob { unsafeBitCast(bits & ~3, to: UnownedJob.self) }

    @inline(__always)
    var origin: Origin { bits & 1 == 0 ? .taskExecutor : .global }

    /// The first job of a task `Runtime.spawn` started, whose `spawned` was recorded when it was scheduled.
    @inline(__always)
    var spawnRecorded: Bool { bits & 2 != 0 }
}
