// Which worker (if any) is the calling thread: a thread-local pointer set when a worker thread
// starts. The executor uses it to push to the local queue; instrumentation uses it to label events.

import CRunvizLinux
import RunvizTelemetry

enum WorkerContext {
    @inline(__always)
    static var current: Worker? {
        guard let raw = runviz_tls_get(Int32(RUNVIZ_TLS_WORKER)) else { return nil }
        return Unmanaged<Worker>.fromOpaque(raw).takeUnretainedValue()
    }

    /// `body` with this thread's worker, borrowed (no reference counting on the enqueue path): nil
    /// when the thread is no worker.
    @inline(__always)
    static func withCurrent<R>(_ body: (Worker) -> R) -> R? {
        guard let raw = runviz_tls_get(Int32(RUNVIZ_TLS_WORKER)) else { return nil }
        return Unmanaged<Worker>.fromOpaque(raw)._withUnsafeGuaranteedRef(body)
    }

    static func enter(_ worker: Worker?) {
        runviz_tls_set(Int32(RUNVIZ_TLS_WORKER), worker.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    /// The task of the job this worker thread is running (nil: not a worker, or between jobs).
    @inline(__always)
    static var runningJobTask: UInt64? {
        guard let raw = runviz_tls_get(Int32(RUNVIZ_TLS_WORKER)) else { return nil }
        return Unmanaged<Worker>.fromOpaque(raw)._withUnsafeGuaranteedRef { w in
            w.jobStartedAt.load(ordering: .relaxed) == 0 ? nil : w.jobTask.load(ordering: .relaxed)
        }
    }

    /// The current worker's index for event labels, or `RuntimeEvent.noWorker`.
    @inline(__always)
    static var currentIndex: UInt8 {
        guard let raw = runviz_tls_get(Int32(RUNVIZ_TLS_WORKER)) else { return RuntimeEvent.noWorker }
        // A worker outlives its thread's loop: read unretained.
        return Unmanaged<Worker>.fromOpaque(raw)._withUnsafeGuaranteedRef { UInt8(truncatingIfNeeded: $0.index) }
    }
}
