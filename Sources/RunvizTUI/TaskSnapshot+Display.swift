// A task's state in one phrase: "parked on fd 12 read for 1.2 s", "running on W1",
// "new, not yet polled".

import RunvizTelemetry

extension TaskSnapshot {
    func stateDescription(_ context: RenderContext) -> String {
        let since = " for \(context.duration(context.age(self.since)))"
        switch state {
        case .notYetPolled: return "new, not yet polled" + since
        case .queued: return "queued" + since
        case .running(let worker): return "running on W\(worker)" + since
        case .parked(let reason): return "parked on \(reason.waitDescription(now: context.now, context.glyphs))" + since
        case .completed: return "done"
        case .cancelled: return "cancelled"
        }
    }
}

extension TaskSnapshot {
    /// What a parked task waits on, as the Parked tasks list says it: a parent suspended on
    /// something the runtime does not own while its children run waits for them.
    var parkedOnDescription: String? {
        guard case .parked(let reason) = state else { return nil }
        if case .other = reason, liveChildren > 0 { return Format.counted(liveChildren, "child task") }
        return reason.description
    }

    /// Who awaits this task: a JoinHandle awaited now ("yes"), its parent for a child task, or nobody.
    var awaiterWord: String { awaited ? "yes" : isChild ? "parent" : "none" }
}
