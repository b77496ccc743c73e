// A lint in words: each kind's name, its facts as one clause ("W1 blocked 1.2 s by t7 blocker",
// "t31 hungry waited 70 ms in the ready queue (10 ms ago)") and the one-line lesson it teaches.
// The aggregator hands over numbers only; every word and every duration is written here.
//
// The advice is for whoever can act on it. Against runviz's own demo runtime it names runviz's API
// and the key that shows it (`spawnBlocking (B)`). A runtime that is its process's global executor
// (the configuration says so) runs a program written for Swift's default executor, whose author
// does not call runviz: the advice there is in plain Swift terms (off the async path: a thread of
// its own, `NIOThreadPool`, a `DispatchQueue`; `Task.yield()`), with no key, since none acts on it.

import RunvizObservation

extension Lint.Kind {
    var title: String {
        switch self {
        case .blockedWorker: return "blocked worker"
        case .longPoll: return "long poll"
        case .starvation: return "starvation"
        case .lostWaker: return "lost waker"
        }
    }
}

extension Lint {
    /// What happened, with its numbers; a past lint says how long ago it ended.
    func message(_ glyphs: Glyphs) -> String {
        let d = Format.duration(nanos, glyphs)
        // A job of no task has no id, only what it runs for ("actor Inventory").
        let who = task.map { t in taskName.map { "\(t) \($0)" } ?? "\(t)" } ?? taskName
        let worker = "W\(self.worker ?? 0)"
        guard let endedAgoNanos else {
            switch kind {
            case .blockedWorker where onLock: return "\(worker) blocked \(d) on a blocking lock in \(who ?? "a task")"
            case .blockedWorker: return "\(worker) blocked \(d)" + (who.map { " by \($0)" } ?? "")
            case .longPoll: return "\(who ?? "a task") has run \(d) without yielding"
            case .starvation: return "\(who ?? "a task") has waited \(d) in the ready queue"
            case .lostWaker: return "\(who ?? "a task") parked \(d) on \(parkReason.map { "\($0)" } ?? "other")"
            }
        }
        let ago = Format.duration(endedAgoNanos, glyphs)
        switch kind {
        case .blockedWorker where onLock:
            return "\(worker) was blocked \(d) on a blocking lock in \(who ?? "a task") (ended \(ago) ago)"
        case .blockedWorker:
            return "\(worker) was blocked \(d)" + (who.map { " by \($0)" } ?? "") + " (ended \(ago) ago)"
        case .longPoll: return "\(who ?? "a task") ran \(d) without yielding (\(ago) ago)"
        case .starvation: return "\(who ?? "a task") waited \(d) in the ready queue (\(ago) ago)"
        case .lostWaker:
            return "\(who ?? "a task") parked \(d) on \(parkReason.map { "\($0)" } ?? "other") (\(ago) ago)"
        }
    }

    /// `advice`, or for a global executor's program its own terms (see the file's header).
    func advice(globalExecutor: Bool) -> String {
        guard globalExecutor else { return advice }
        switch kind {
        case .blockedWorker where onLock: return "hold no blocking lock across an await"
        case .blockedWorker: return "move blocking calls off async code"
        case .longPoll: return "await, Task.yield(), or move it off the async path"
        case .starvation, .lostWaker: return advice
        }
    }

    /// What to do, in a few words, for a row too narrow for the lesson.
    var advice: String {
        switch kind {
        case .blockedWorker where onLock: return "use the async mutex (M) across awaits"
        case .blockedWorker: return "use spawnBlocking (B) or yield"
        case .longPoll: return "await, yield, or use the pool"
        case .starvation: return "the workers are busy or blocked"
        case .lostWaker: return "it will never run again"
        }
    }

    /// `explanation`, or for a global executor's program its own terms (see the file's header).
    func explanation(globalExecutor: Bool) -> String {
        guard globalExecutor else { return explanation }
        switch kind {
        case .blockedWorker where onLock: return "a blocking lock stalls its worker's tasks: hold none across an await"
        case .blockedWorker:
            return "run blocking calls off the async path: NIOThreadPool, a DispatchQueue"
        case .longPoll: return "a job that never awaits holds its worker: call Task.yield()"
        case .starvation, .lostWaker: return explanation
        }
    }

    /// The lesson: why it matters and what to do.
    var explanation: String {
        switch kind {
        case .blockedWorker where onLock:
            return "a blocking lock stalls its worker's tasks: use the async mutex across awaits"
        // The job may be a blocking call or a long loop (a burst of accepts): the runtime cannot tell which.
        case .blockedWorker: return "move blocking calls to spawnBlocking (B), yield in long loops"
        case .longPoll: return "a job that never awaits holds its worker: await, yield, or use the pool"
        case .starvation: return "ready tasks wait for a worker: the workers are busy or blocked"
        case .lostWaker: return "nothing registered can wake this task: it will never run again"
        }
    }
}

extension LintGroup {
    /// One lint's own words; for several, the tasks' name, the longest, and how long ago the latest
    /// ended ("echo-conn tasks waited up to 1.8 s in the ready queue (latest 1.2 s ago)").
    func message(_ glyphs: Glyphs) -> String {
        guard count > 1 else { return longest.message(glyphs) }
        let d = Format.duration(longest.nanos, glyphs)
        // No count: the aggregator remembers a bounded number of lints (32), so "32 tasks" would
        // undercount a stall of 220; the Ready queue and the reply line count those.
        let tasks = longest.taskName.map { "\($0) tasks" } ?? "tasks"
        let latest = latestEndedAgoNanos.map { " (latest \(Format.duration($0, glyphs)) ago)" } ?? ""
        switch longest.kind {
        case .blockedWorker where longest.onLock:
            return "\(tasks) blocked workers on a blocking lock, up to \(d)" + latest
        case .blockedWorker:
            return "workers blocked up to \(d) by \(tasks)" + latest
        case .longPoll:
            return holds
                ? "\(tasks) have run up to \(d) without yielding" : "\(tasks) ran up to \(d) without yielding" + latest
        case .starvation:
            return holds
                ? "\(tasks) have waited up to \(d) in the ready queue"
                : "\(tasks) waited up to \(d) in the ready queue" + latest
        case .lostWaker:
            return "\(tasks) parked up to \(d) on \(longest.parkReason.map { "\($0)" } ?? "other")" + latest
        }
    }
}
