// WorkerResult: what a worker hands back when its loop has ended: final counters, the histograms of every
// timed round trip (from send, and from schedule for paced ones), and the first diagnostics worth printing.

import Histogram

/// The final state of one worker.
struct WorkerResult: Sendable {
    var counters: WorkerCounters
    /// Round trips timed from the send that wrote their first byte.
    var latency: Histogram<UInt64>
    /// Paced round trips timed from their schedule slot (empty when unpaced).
    var scheduleLatency: Histogram<UInt64>
    var firstMismatch: String?
    var firstOtherError: String?
    /// When the load phase ended (deadline, stop, or last client done), before the drain.
    var loadEndNs: UInt64
    /// Verified round trips when the load phase ended.
    var roundTripsAtLoadEnd: UInt64
    /// When every client of this worker had connected once (nil if some never did).
    var allConnectedNs: UInt64?
    /// Verified round trips at that moment.
    var roundTripsAtAllConnected: UInt64

    /// Round trips per second between "all connected" and the end of the load (nil without that window).
    var connectedRate: Double? {
        guard let allConnectedNs, loadEndNs > allConnectedNs + 1_000_000 else { return nil }
        return Double(roundTripsAtLoadEnd - roundTripsAtAllConnected) / (Double(loadEndNs - allConnectedNs) / 1e9)
    }
}
