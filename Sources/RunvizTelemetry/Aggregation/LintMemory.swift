// Lints remembered after the fact: a long poll, a starved wait or a blocked worker is reported
// while it lasts and for `span` after it ended. One entry per (kind, task), the latest replacing
// the earlier one in place; at most `capacity` entries, the oldest dropped first.

struct LintMemory: Equatable {
    struct Entry: Equatable {
        /// When the fact was last seen.
        var at: UInt64
        var lint: Lint
    }

    static let capacity = 32
    /// Ten seconds.
    let span: UInt64 = 10_000_000_000
    private(set) var entries: [Entry] = []

    mutating func remember(_ lint: Lint, at time: UInt64) {
        if let i = entries.firstIndex(where: { $0.lint.kind == lint.kind && $0.lint.task == lint.task }) {
            entries[i] = Entry(at: time, lint: lint)
        } else {
            entries.append(Entry(at: time, lint: lint))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
    }

    /// Drops what ended more than `span` before `now`.
    mutating func forget(before now: UInt64) {
        entries.removeAll { now > $0.at && now - $0.at > span }
    }
}
