// The runtime's pen: turns state changes into RuntimeEvents in the calling thread's ring.
// Hot path rules: no lock, no allocation. Worker and blocking-pool threads own a ring (set in a
// thread-local slot when the thread starts); any other thread (a UI thread spawning, a test's main
// thread) records into one shared "foreign" ring behind a lock, which is rare by construction.
// When the hub is disabled nothing is recorded.

import CRunvizLinux
import RunvizLock
import RunvizTelemetry

@inline(__always)
func monotonicNow() -> UInt64 { runviz_now_ns() }

final class Recorder: Sendable {
    let hub: TelemetryHub
    private let foreignRing: Lock<EventRing>

    init(hub: TelemetryHub) {
        self.hub = hub
        self.foreignRing = Lock(hub.makeRing(label: "other threads"))
    }

    var enabled: Bool { hub.enabled }

    /// The calling thread's name, interned in this hub's names, as an `.other` wake's argument
    /// (ForeignThread). Read from the kernel once per thread and hub, then from a thread-local word
    /// (the hub's id in the high half, the name's id + 1 in the low half).
    func foreignThreadArgument() -> UInt64 {
        let cached = runviz_tls_word_get(Int32(RUNVIZ_TLS_THREAD_NAME))
        if cached != 0 && cached >> 32 == hub.id & 0xFFFF_FFFF {
            return ForeignThread.argument(nameID: UInt32(truncatingIfNeeded: cached) &- 1)
        }
        var buffer = [CChar](repeating: 0, count: 16)
        let name = runviz_get_thread_name(&buffer) == 0 ? String(cString: buffer) : ""
        let id = hub.names.intern(name.isEmpty ? "a thread" : name)
        runviz_tls_word_set(Int32(RUNVIZ_TLS_THREAD_NAME), (hub.id & 0xFFFF_FFFF) << 32 | UInt64(id &+ 1))
        return ForeignThread.argument(nameID: id)
    }

    /// Makes `ring` the calling thread's ring (worker and pool threads, at start).
    static func adopt(_ ring: EventRing) {
        runviz_tls_set(Int32(RUNVIZ_TLS_RING), Unmanaged.passUnretained(ring).toOpaque())
    }

    static func abandonRing() { runviz_tls_set(Int32(RUNVIZ_TLS_RING), nil) }

    @inline(__always)
    func record(_ event: RuntimeEvent) {
        // The thread's ring lives as long as its thread has adopted it: used unretained.
        if let raw = runviz_tls_get(Int32(RUNVIZ_TLS_RING)),
            Unmanaged<EventRing>.fromOpaque(raw)._withUnsafeGuaranteedRef({ ring in
                guard ring.owner == hub.id else { return false }
                ring.record(event)
                return true
            })
        {
            return
        }
        foreignRing.withLock { $0.record(event) }
    }

    @inline(__always)
    func record(
        _ kind: RuntimeEvent.Kind, task: UInt64 = 0, worker: UInt8 = RuntimeEvent.noWorker, detail: UInt16 = 0,
        arg: UInt64 = 0, extra: UInt32 = 0
    ) {
        guard hub.enabled else { return }
        record(
            RuntimeEvent(
                time: monotonicNow(), kind: kind, task: task, worker: worker, detail: detail, arg: arg, extra: extra))
    }

    /// Records that `task` is about to suspend on `reason`. `clearedBy`: for an fd, the syscall that
    /// proved it not ready (step mode shows it). A task `Runtime.spawn` started is first named here
    /// when its spawn was not recorded (WaitSlot).
    @inline(__always)
    func parked(_ task: UInt64, on reason: ParkReason, clearedBy proof: ReadinessProof? = nil) {
        guard hub.enabled else { return }
        WaitSlot.owned(by: task)?.announce(self)
        record(parked: task, on: reason, clearedBy: proof)
    }

    /// `parked`, for a wait that has looked up the task's slot already (nil: it has none).
    @inline(__always)
    func parked(_ task: UInt64, on reason: ParkReason, clearedBy proof: ReadinessProof?, slot: WaitSlot?) {
        guard hub.enabled else { return }
        slot?.announce(self)
        record(parked: task, on: reason, clearedBy: proof)
    }

    @inline(__always)
    private func record(parked task: UInt64, on reason: ParkReason, clearedBy proof: ReadinessProof?) {
        let e = reason.encoded
        let extra = e.extra | UInt32(proof?.rawValue ?? 0) << ReadinessProof.parkedExtraShift
        record(.parked, task: task, worker: WorkerContext.currentIndex, detail: e.detail, arg: e.arg, extra: extra)
    }
}

extension Recorder {
    /// The recorder of the runtime whose worker is running this code (nil off the workers).
    @inline(__always)
    static var current: Recorder? { WorkerContext.current?.scheduler.recorder }
}

extension Runtime {
    /// Nanoseconds one event costs on this machine (clock read + ring store), measured on a private
    /// ring the way workers record. Multiplied by the live event rate, it is the instrumentation cost.
    public static func measureEventCost(samples: Int = 200_000) -> Double {
        let ring = EventRing(capacity: 1 << 12, label: "calibration")
        let start = monotonicNow()
        for i in 0..<samples {
            ring.record(RuntimeEvent(time: monotonicNow(), kind: .runStarted, task: UInt64(i), worker: 0))
            if i & 2047 == 2047 { ring.drain { _ in } }
        }
        return Double(monotonicNow() &- start) / Double(samples)
    }
}
