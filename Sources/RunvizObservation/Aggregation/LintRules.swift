// The lint rules, as one pure function of a snapshot: a worker running one job past the blocked
// threshold (perhaps waiting for a blocking lock), a task running past the long-poll threshold, a
// task queued past the starvation threshold, a named task parked on nothing that can wake it; then
// the remembered lints, newest first, with how long ago each ended. A lint that holds now hides the
// remembered one with the same kind, task and worker. Lints carry numbers; the screen words them.

import RunvizTelemetry

enum LintRules {
    private struct Key: Hashable {
        var kind: Lint.Kind
        var task: TaskID?
        var worker: Int?
    }

    static func lints(
        of snapshot: RuntimeSnapshot, lostWakers: [TaskSnapshot], memory: LintMemory,
        thresholds: Aggregator.Thresholds
    ) -> [Lint] {
        let now = snapshot.takenAt
        var out: [Lint] = []
        var seen = Set<Key>()
        func add(_ l: Lint) {
            if seen.insert(Key(kind: l.kind, task: l.task, worker: l.worker)).inserted { out.append(l) }
        }
        for w in snapshot.workers {
            switch w.state {
            // A job of no task (a default actor's) is named by what it runs for, with no task id.
            case .blocked(let t, let name, let ns):
                let task = t == .none ? nil : t
                add(Lint(kind: .blockedWorker, task: task, taskName: name, worker: w.index, nanos: ns))
                if ns > thresholds.longPoll {
                    add(Lint(kind: .longPoll, task: task, taskName: name, worker: w.index, nanos: ns))
                }
            // A worker shows as on a lock from the first wait; it is a blocked worker only past the threshold.
            case .blockedOnLock(let t, let name, let ns) where ns > thresholds.blocked:
                add(Lint(kind: .blockedWorker, task: t, taskName: name, worker: w.index, nanos: ns, onLock: true))
                if ns > thresholds.longPoll {
                    add(Lint(kind: .longPoll, task: t, taskName: name, worker: w.index, nanos: ns))
                }
            default: break
            }
        }
        for q in snapshot.queuedTasks where q.waitingNanos > thresholds.starvation {
            add(Lint(kind: .starvation, task: q.id, taskName: q.name, nanos: q.waitingNanos))
        }
        for t in lostWakers {
            guard case .parked(let reason) = t.state else { continue }
            add(Lint(kind: .lostWaker, task: t.id, taskName: t.name, nanos: now &- t.since, parkReason: reason))
        }
        for entry in memory.entries.reversed() {
            var l = entry.lint
            l.endedAgoNanos = now > entry.at ? now - entry.at : 0
            l.taskName = l.task.flatMap { snapshot.task($0)?.name }
            add(l)
        }
        return out
    }
}
