// One cancellation hook per task `Runtime.spawn` starts, in place of one per fd wait: Swift adds a
// cancellation record to the task under its status lock and removes it again for every
// `withTaskCancellationHandler`, about 670 instructions a wait (callgrind, 2026-12-06), and an echo
// connection waits once per round trip. A spawned task registers one handler for its whole life;
// each fd wait writes where it parks (the registration and its waiter id) into the task's slot, and
// the handler cancels that waiter.
//
// Invariants: the slot is the task's own — a child or an unstructured task inherits the task-local
// and finds another owner, so it takes the per-wait handler. A wait writes the slot under the
// registration's lock *before* it checks its task's cancellation there, and the handler runs after the
// flag is set: either the handler reads the new place (and cancels the waiter once the lock is let
// go) or the wait sees the flag; no cancellation falls between them. A stale place (an earlier
// wait, already woken) names a waiter that is gone: cancelling it does nothing. The slot holds the
// registration it names (a weak reference would cost a side table per registration and an atomic
// per wait), so a closed connection's registration lives until its task parks elsewhere or ends.
//
// The slot also names its task to a viewer that did not see it spawned: a task spawned while
// events were off is announced (a `spawned` with RuntimeEvent.announcedLate) at its first park or
// end with events on. Whether the spawn was recorded is read just before the spawn's enqueue reads
// it again: a switch between the two reads names the task twice (harmless) or leaves it unnamed.
// Both fields fit in the slot's allocation as it was (48 → 53 B of a 56 B block).

import RunvizLock
import RunvizTelemetry
import Synchronization

final class WaitSlot: Sendable {
    /// The slot of the task running now, set by `Runtime.spawn` for its task.
    @TaskLocal static var current: WaitSlot?

    /// The task whose handler this slot serves.
    let owner: UInt64
    private let place = Lock<(registration: Registration?, waiter: UInt64)>((nil, 0))
    /// The task's spawn name (interned), and whether a `spawned` of the task has been recorded.
    private let nameID: UInt32
    private let announced: Atomic<Bool>

    init(owner: UInt64, nameID: UInt32, spawnRecorded: Bool) {
        self.owner = owner
        self.nameID = nameID
        announced = Atomic(spawnRecorded)
    }

    /// Records the owner's spawn if no event has named it yet and events are on: called by the
    /// owner's own code (a park, its end), so never by two threads at once.
    @inline(__always)
    func announce(_ recorder: Recorder) {
        guard recorder.enabled, !announced.load(ordering: .relaxed) else { return }
        announced.store(true, ordering: .relaxed)
        // Recorded whatever the switch does meanwhile: the flag says it was.
        recorder.record(
            RuntimeEvent(
                time: monotonicNow(), kind: .spawned, task: owner, worker: WorkerContext.currentIndex,
                detail: RuntimeEvent.announcedLate, extra: nameID))
    }

    /// The slot to park through if the running task `task` owns one, else nil. Read from the
    /// task's own cancellation record where the task layout is the measured one (TaskLayout.swift),
    /// else from the task-local.
    @inline(__always)
    static func owned(by task: UInt64) -> WaitSlot? {
        guard task != 0 else { return nil }
        if let layout = TaskLayout.measured, let running = SwiftRuntime.currentTask() {
            switch layout.waitSlot(ofRunning: running) {
            case .slot(let raw):
                // The running task holds its slot for its whole life.
                let slot = Unmanaged<WaitSlot>.fromOpaque(raw).takeUnretainedValue()
                return slot.owner == task ? slot : nil
            case .none: return nil
            case .unknown: break
            }
        }
        guard let slot = current, slot.owner == task else { return nil }
        return slot
    }

    /// Records where the owner parks next: called under `registration`'s lock.
    @inline(__always)
    func parking(on registration: Registration, waiter: UInt64) {
        place.withLock { $0 = (registration, waiter) }
    }

    /// The owner was cancelled: its fd wait, if it is parked on one, ends with `.cancelled`.
    func cancel() {
        let (registration, waiter) = place.withLock { $0 }
        registration?.cancelWaiter(waiter)
    }
}
