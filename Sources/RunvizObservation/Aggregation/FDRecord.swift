// The aggregator's model of one fd registered with the reactor: the interest tasks left on it
// (parking on it), the task that owns it, and when the kernel last reported it ready.

import RunvizTelemetry

struct FDRecord: Equatable {
    var fd: Int32
    var interest: Interest
    var owner: UInt64
    var timesReady: UInt64 = 0
    var lastReady: UInt64?
    var lastReadiness: Interest = []
}
