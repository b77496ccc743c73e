// Lints remembered after the fact: a long poll, a starved wait or a blocked worker is reported
// while it lasts and for `span` after it ended. One entry per (kind, task), the latest replacing
// the earlier one in place; at most `capacity` entries, the oldest dropped first.
//
// A lint is a sighting of an episode that began at `at - lint.nanos` (a job's start, a wake), so
// sightings of one episode share that start and merge instead of replacing each other: a sighting
// during the episode (a watchdog report, a published reading) only lengthens it, the sighting at
// its end (the job's `runFinished`) gives its exact length, which no later sighting changes; an
// episode once seen on a blocking lock stays on one.

struct LintMemory: Equatable {
    struct Entry: Equatable {
        /// When the fact was last seen.
        var at: UInt64
        var lint: Lint
        /// Seen at its end: `lint.nanos` is its full length.
        var ended = false

        var began: UInt64 { at &- lint.nanos }
    }

    static let capacity = 32
    /// Ten seconds.
    let span: UInt64 = 10_000_000_000
    private(set) var entries: [Entry] = []

    /// Remembers `lint` as seen at `time`; `ended`: seen at the end of its episode.
    mutating func remember(_ lint: Lint, at time: UInt64, ended: Bool = false) {
        let seen = Entry(at: time, lint: lint, ended: ended)
        guard let i = entries.firstIndex(where: { $0.lint.kind == lint.kind && $0.lint.task == lint.task }) else {
            entries.append(seen)
            if entries.count > Self.capacity { entries.removeFirst() }
            return
        }
        let old = entries[i]
        guard old.began == seen.began else {
            entries[i] = seen
            return
        }
        var merged = old.ended || (!ended && old.lint.nanos >= lint.nanos) ? old : seen
        merged.ended = old.ended || ended
        merged.lint.onLock = old.lint.onLock || lint.onLock
        entries[i] = merged
    }

    /// Drops what ended more than `span` before `now`.
    mutating func forget(before now: UInt64) {
        entries.removeAll { now > $0.at && now - $0.at > span }
    }
}
