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

    static func enter(_ worker: Worker?) {
        runviz_tls_set(Int32(RUNVIZ_TLS_WORKER), worker.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    /// The current worker's index for event labels, or `RuntimeEvent.noWorker`.
    @inline(__always)
    static var currentIndex: UInt8 {
        guard let w = current else { return RuntimeEvent.noWorker }
        return UInt8(truncatingIfNeeded: w.index)
    }
}
