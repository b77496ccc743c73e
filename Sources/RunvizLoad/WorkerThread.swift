// WorkerThread: an OS thread (RunvizSystem's OSThread) that builds one LoadWorker and runs its loop. The
// worker is created on the thread that runs it, so its memory is first touched there. The thread tells
// LoadControl when it is done; join() then returns at once.

import RunvizSystem

/// A started load thread.
struct WorkerThread: Sendable {
    private let thread: OSThread

    /// Starts a thread named `name` (512 KiB of stack) running a worker for `plan`.
    static func start(plan: WorkerPlan, control: LoadControl, shared: WorkerShared, name: String)
        throws(LoadError) -> WorkerThread
    {
        do {
            let thread = try OSThread.start(name: name, stackBytes: 512 << 10) {
                main(plan: plan, control: control, shared: shared)
            }
            return WorkerThread(thread: thread)
        } catch {
            throw .system(call: error.call, errno: error.errno)
        }
    }

    /// The thread's body: builds the worker there and runs it, then tells `control` it is done.
    private static func main(plan: WorkerPlan, control: LoadControl, shared: WorkerShared) {
        do {
            var worker = try LoadWorker(plan: plan, control: control, shared: shared)
            worker.run()
        } catch {
            var counters = WorkerCounters()
            counters.errors.other = 1
            let result = WorkerResult(
                counters: counters, latency: LatencySummary.makeHistogram(),
                scheduleLatency: LatencySummary.makeHistogram(), firstMismatch: nil,
                firstOtherError: "\(error)", loadEndNs: plan.startNs, roundTripsAtLoadEnd: 0,
                allConnectedNs: nil, roundTripsAtAllConnected: 0)
            shared.result.withLock { $0 = result }
        }
        control.workerFinished()
    }

    func join() { thread.join() }
}
