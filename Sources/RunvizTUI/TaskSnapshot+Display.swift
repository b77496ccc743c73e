// A task's state in one phrase: "parked on fd 12 read for 1.2 s", "running on W1",
// "new, not yet polled", "done 2.1 s ago"; and who awaits it: "t7", "parent", "nobody".

import RunvizObservation

extension TaskSnapshot {
    func stateDescription(_ context: RenderContext) -> String {
        let since = " for \(context.duration(context.age(self.since)))"
        switch state {
        case .notYetPolled: return "new, not yet polled" + since
        case .queued: return "queued" + since
        case .running(let worker): return "running on W\(worker)" + since
        case .parked(let reason):
            if case .timer = reason {
                return "parked" + since + " on \(reason.waitDescription(now: context.now, context.glyphs))"
            }
            return "parked" + since + " on \(parkedOn ?? reason.description)"
        case .completed: return "done \(context.duration(context.age(self.since))) ago"
        case .cancelled: return "cancelled \(context.duration(context.age(self.since))) ago"
        }
    }
}

extension TaskSnapshot {
    /// What a parked task waits on, as the Parked tasks list says it: a parent suspended on
    /// something the runtime does not own while its children run waits for them.
    var parkedOnDescription: String? {
        guard case .parked(let reason) = state else { return nil }
        if case .other = reason, liveChildren > 0 { return Format.counted(liveChildren, "child task") }
        return parkedOn ?? reason.description
    }

    /// Who awaits this task, for the awaiter column: the task awaiting its JoinHandle ("t7"; "blockOn"
    /// for a thread), its parent for a child task, "nobody" once its handle was dropped unawaited (the
    /// primer's forgotten await), "not yet" while the handle is held, "-" for a task with none.
    var awaiterWord: String {
        switch handle {
        case .awaited(let awaiter): return awaiter == .none ? "blockOn" : awaiter.description
        case .dropped: return "nobody"
        case .held: return "not yet"
        case .noHandle: return isChild ? "parent" : "-"
        }
    }

    /// Whether someone awaits it, or nobody ever can: the awaiter words worth reading at a glance.
    var awaiterIsNews: Bool {
        switch handle {
        case .awaited, .dropped: return true
        case .held: return false
        case .noHandle: return isChild
        }
    }

    /// What became of its JoinHandle, for the task detail.
    var handleDescription: String {
        switch handle {
        case .awaited(let awaiter): return "awaited by " + (awaiter == .none ? "blockOn" : "\(awaiter)")
        case .dropped: return "handle dropped unawaited"
        case .held: return "handle held, not awaited yet"
        case .noHandle: return "no JoinHandle"
        }
    }

    /// A finished task's end and who saw its result: "done 2.1 s ago, awaited by t7", "cancelled
    /// 40 ms ago, nobody awaited" (nil for a live task).
    func endDescription(_ context: RenderContext) -> String? {
        guard state == .completed || state == .cancelled else { return nil }
        let end = stateDescription(context)
        switch handle {
        case .awaited(let awaiter): return end + ", awaited by \(awaiter == .none ? "blockOn" : "\(awaiter)")"
        case .dropped: return end + ", nobody awaited"
        case .held: return end + ", not awaited yet"
        case .noHandle: return isChild ? end + ", awaited by parent" : end
        }
    }
}
