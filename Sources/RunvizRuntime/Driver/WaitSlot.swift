// One cancellation hook per task `Runtime.spawn` starts, in place of one per fd wait: Swift adds a
// cancellation record to the task under its status lock and removes it again for every
// `withTaskCancellationHandler`, about 670 instructions a wait (callgrind, 2026-12-06), and an echo
// connection waits once per round trip. A spawned task registers one handler for its whole life;
// each fd wait writes where it parks (the registration and its waiter id) into the task's slot, and
// the handler cancels that waiter.
//
// Invariants: the slot is the task's own — a child or an unstructured task inherits the task-local
// and finds another owner, so it takes the per-wait handler. A wait writes the slot under the
// registration's lock *before* it checks `Task.isCancelled` there, and the handler runs after the
// flag is set: either the handler reads the new place (and cancels the waiter once the lock is let
// go) or the wait sees the flag; no cancellation falls between them. A stale place (an earlier
// wait, already woken) names a waiter that is gone: cancelling it does nothing. The slot holds the
// registration it names (a weak reference would cost a side table per registration and an atomic
// per wait), so a closed connection's registration lives until its task parks elsewhere or ends.

import RunvizLock

final class WaitSlot: Sendable {
    /// The slot of the task running now, set by `Runtime.spawn` for its task.
    @TaskLocal static var current: WaitSlot?

    /// The task whose handler this slot serves.
    let owner: UInt64
    private let place = Lock<(registration: Registration?, waiter: UInt64)>((nil, 0))

    init(owner: UInt64) { self.owner = owner }

    /// The slot to park through if the running task `task` owns one, else nil.
    @inline(__always)
    static func owned(by task: UInt64) -> WaitSlot? {
        guard task != 0, let slot = current, slot.owner == task else { return nil }
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
