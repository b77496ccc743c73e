// WorkerThread: an OS thread (pthread, via the C shim) that builds one LoadWorker and runs its loop. The
// worker is created on the thread that runs it, so its memory is first touched there. The thread tells
// LoadControl when it is done; join() then returns at once.

import CRunvizLinux

/// A started load thread.
struct WorkerThread: Sendable {
    /// What the new thread needs; retained across the C boundary and released by the thread.
    private final class Start: Sendable {
        let plan: WorkerPlan
        let control: LoadControl
        let shared: WorkerShared
        let name: String

        init(plan: WorkerPlan, control: LoadControl, shared: WorkerShared, name: String) {
            self.plan = plan
            self.control = control
            self.shared = shared
            self.name = name
        }

        func main() {
            runviz_set_thread_name(name)
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
    }

    private let handle: UInt64

    /// Starts a thread running a worker for `plan`.
    static func start(plan: WorkerPlan, control: LoadControl, shared: WorkerShared, name: String)
        throws(LoadError) -> WorkerThread
    {
        let start = Start(plan: plan, control: control, shared: shared, name: name)
        let context = Unmanaged.passRetained(start).toOpaque()
        var handle: UInt64 = 0
        let status = runviz_thread_start(
            &handle, 512 << 10,
            { raw in
                let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                start.main()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw .system(call: "pthread_create", errno: status)
        }
        return WorkerThread(handle: handle)
    }

    func join() {
        _ = runviz_thread_join(handle)
    }
}
