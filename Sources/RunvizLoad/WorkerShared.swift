// WorkerShared: the one-writer, many-reader mailbox of a worker: its published counters (copied out every
// ≥ 10 ms) and, once its loop ends, its result. The worker is the only writer of both.

import RunvizLock

/// Published state of one worker.
final class WorkerShared: Sendable {
    let counters = Lock(WorkerCounters())
    let result = Lock<WorkerResult?>(nil)
}
