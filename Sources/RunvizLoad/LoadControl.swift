// LoadControl: the few things the workers of one run share with the thread that controls them: the stop
// request, the synthetic-client target count, a live latency histogram for progress lines, and a parker
// the controller sleeps on until a worker finishes. Everything else a worker owns alone.

import CRunvizLinux
import Histogram
import RunvizLock
import Synchronization

/// Shared control state of one run (or of one set of synthetic clients).
final class LoadControl: Sendable {
    /// How a stop request wants the workers to end.
    enum StopMode: UInt8 {
        case running = 0
        /// Finish in-flight echoes briefly, then close; leftovers are not errors.
        case drain = 1
        /// Close everything now.
        case immediate = 2
    }

    private let stopMode = Atomic<UInt8>(StopMode.running.rawValue)
    /// Slots in play, for workers that follow a target (synthetic clients).
    let targetClients = Atomic<Int>(0)
    let finishedWorkers = Atomic<Int>(0)
    /// Round trips of the last interval, added by workers a few times a second, taken by progress.
    let liveLatency = Lock(LatencySummary.makeHistogram())
    nonisolated(unsafe) private let parker: UnsafeMutablePointer<runviz_parker>

    init() {
        parker = runviz_parker_create()
    }

    deinit {
        runviz_parker_destroy(parker)
    }

    var mode: StopMode {
        StopMode(rawValue: stopMode.load(ordering: .relaxed)) ?? .immediate
    }

    /// Raises the stop mode (never lowers it) and wakes the controller.
    func requestStop(_ mode: StopMode) {
        stopMode.max(mode.rawValue, ordering: .relaxed)
        wake()
    }

    /// Called by a worker after it published its result.
    func workerFinished() {
        finishedWorkers.add(1, ordering: .acquiringAndReleasing)
        wake()
    }

    func wake() {
        _ = runviz_parker_unpark(parker)
    }

    /// Sleeps until woken or `timeoutNs` passes.
    func sleep(timeoutNs: Int64) {
        runviz_parker_park(parker, timeoutNs)
    }
}
