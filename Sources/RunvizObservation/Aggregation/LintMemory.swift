// Lints remembered after the fact: a long poll, a starved wait or a blocked worker is reported
// while it lasts and for `span` after it ended. One entry per (kind, task), the latest replacing
// the earlier one in place; at most `capacity` entries, the oldest dropped first.
//
// A lint is a sighting of an episode that began at `at - lint.nanos` (a job's start, a wake), so
// sightings of one episode share that start and merge instead of replacing each other: a sighting
// during the episode (a watchdog report, a published reading) only lengthens it, the sighting at
// its end (the job's `runFinished`) gives its exact length, which no later sighting changes; an
// episode once seen on a blocking lock stays on one.

import RunvizTelemetry

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
    /// The entries as a ring: once full, a new lint overwrites the oldest in place, since under
    /// load (10,000 queued tasks starving at once) a lint is remembered per event, and shifting the
    /// whole array to drop its first entry each time was most of that cost.
    private var slots: [Entry] = []
    /// Each slot's kind and task, apart: the search for a lint's entry reads these 16 bytes a slot
    /// instead of whole entries.
    private var keys: [Key] = []
    /// Index of the oldest entry once `slots` is full.
    private var oldest = 0

    private struct Key: Equatable {
        var kind: Lint.Kind
        var task: TaskID?
    }

    /// Oldest first.
    var entries: [Entry] { Array(slots[oldest...] + slots[..<oldest]) }

    /// Remembers `lint` as seen at `time`; `ended`: seen at the end of its episode.
    mutating func remember(_ lint: Lint, at time: UInt64, ended: Bool = false) {
        let seen = Entry(at: time, lint: lint, ended: ended)
        let key = Key(kind: lint.kind, task: lint.task)
        guard let i = keys.firstIndex(of: key) else {
            if slots.count < Self.capacity {
                slots.append(seen)
                keys.append(key)
            } else {
                slots[oldest] = seen
                keys[oldest] = key
                oldest = (oldest + 1) % Self.capacity
            }
            return
        }
        let old = slots[i]
        guard old.began == seen.began else {
            slots[i] = seen
            return
        }
        var merged = old.ended || (!ended && old.lint.nanos >= lint.nanos) ? old : seen
        merged.ended = old.ended || ended
        merged.lint.onLock = old.lint.onLock || lint.onLock
        // A job of no task is named by what it runs for (an actor), from whichever report had it.
        merged.lint.taskName = merged.lint.taskName ?? old.lint.taskName ?? lint.taskName
        slots[i] = merged
    }

    /// Drops what ended more than `span` before `now`.
    mutating func forget(before now: UInt64) {
        guard slots.contains(where: { now > $0.at && now - $0.at > span }) else { return }
        var kept = entries
        kept.removeAll { now > $0.at && now - $0.at > span }
        slots = kept
        keys = kept.map { Key(kind: $0.lint.kind, task: $0.lint.task) }
        oldest = 0
    }

    /// The same entries in the same order, wherever the ring starts.
    static func == (a: LintMemory, b: LintMemory) -> Bool { a.entries == b.entries }
}
