// Where a wakeup begins in a task's timeline: the step that makes it runnable again — the kernel's
// readiness report, a timer firing, or a wake by anything else (another task, a yield, the blocking
// pool) — the primer's "kernel notifies → Waker.wake()"; and its spawn, which makes it runnable the
// first time. A schedule right after the step that caused it belongs to that wakeup.

import RunvizObservation

extension TaskTimeline {
    /// Whether `entries[index]` is the first step of a wakeup.
    func beginsWakeup(at index: Int) -> Bool {
        switch entries[index].step {
        case .spawned, .fdReady, .timerFired:
            return true
        case .scheduled:
            guard index > 0 else { return true }
            switch entries[index - 1].step {
            case .spawned, .fdReady, .timerFired: return false
            default: return true
            }
        default:
            return false
        }
    }
}
