// Warnings as the Lints panel lists them. The aggregator remembers one lint per (kind, task), so a
// blocked worker leaves one starvation lint per task that queued behind it: 220 rows saying the
// same thing would push the cause and its advice off screen. Here lints of one kind about tasks of
// one name, all holding now or all ended, are one group with their count, the longest and the
// latest (the count is not shown: the aggregator keeps a bounded number of lints); a long poll by
// the task a blocked-worker warning names is that warning's own fact and is not said twice. Order: what holds now before what ended, then the cause before its symptoms
// (a blocked worker or a long poll before a lost waker before starvation), then the latest first:
// so the row that stays on screen is the cause, with its advice.

import RunvizObservation

struct LintGroup: Equatable {
    /// The longest lint of the group: its kind, worker, task and duration speak for the group.
    var longest: Lint
    var count: Int
    /// How long ago the latest of the group ended (nil: they hold now).
    var latestEndedAgoNanos: UInt64?

    static func groups(_ lints: [Lint]) -> [LintGroup] {
        let blockers = Set(lints.lazy.filter { $0.kind == .blockedWorker }.compactMap(\.task))
        var groups: [LintGroup] = []
        var index: [Key: Int] = [:]
        for lint in lints {
            if lint.kind == .longPoll, let task = lint.task, blockers.contains(task) { continue }
            let key = Key(
                kind: lint.kind, onLock: lint.onLock, name: lint.taskName ?? lint.task?.description ?? "",
                holds: lint.endedAgoNanos == nil)
            guard let at = index[key] else {
                index[key] = groups.count
                groups.append(LintGroup(longest: lint, count: 1, latestEndedAgoNanos: lint.endedAgoNanos))
                continue
            }
            groups[at].count += 1
            if lint.nanos > groups[at].longest.nanos { groups[at].longest = lint }
            if let ago = lint.endedAgoNanos {
                groups[at].latestEndedAgoNanos = min(groups[at].latestEndedAgoNanos ?? ago, ago)
            }
        }
        return groups.sorted { a, b in
            if a.holds != b.holds { return a.holds }
            if a.rank != b.rank { return a.rank < b.rank }
            if a.latestEndedAgoNanos != b.latestEndedAgoNanos {
                return (a.latestEndedAgoNanos ?? 0) < (b.latestEndedAgoNanos ?? 0)
            }
            return a.longest.nanos > b.longest.nanos
        }
    }

    var holds: Bool { latestEndedAgoNanos == nil }

    private var rank: Int {
        switch longest.kind {
        case .blockedWorker: return 0
        case .longPoll: return 1
        case .lostWaker: return 2
        case .starvation: return 3
        }
    }

    private struct Key: Hashable {
        var kind: Lint.Kind
        var onLock: Bool
        var name: String
        var holds: Bool
    }
}
