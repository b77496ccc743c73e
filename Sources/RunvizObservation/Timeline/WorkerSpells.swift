// What each worker is doing, cut into spells as facts arrive: a job of a task (runStarted →
// runFinished), a sleep (workerParked → workerUnparked, in epoll_wait or on the parker), or the
// search for work between them. The worker timeline, the Perfetto exporter and the Prometheus
// exporter read a worker's jobs and sleeps from here, so they agree on where each one begins and
// ends.
//
// Invariants. A worker is in one spell at a time, or in none known (before its first fact). A
// spell begins only at a fact: runStarted begins a job, workerParked a sleep, runFinished and
// workerUnparked the search. A fact that begins a spell while another is open *cuts* the open one:
// its own end was not recorded (a dropped event), and it ends there. A runFinished with no job open
// *ends* a job whose start was not read (start nil), cutting whatever was open; a workerUnparked
// ends the open sleep, or with nothing known a sleep whose start was not read (on the parker: the
// driver's is not told apart), or else cuts what was open. Facts about a worker index at or past
// `workers` are ignored.

import RunvizTelemetry

public struct WorkerSpells: Sendable, Equatable {
    public enum Activity: Sendable, Equatable {
        case job(TaskID)
        case sleep(inDriver: Bool)
        case searching
    }

    public struct Spell: Sendable, Equatable {
        public var activity: Activity
        /// Monotonic ns; nil when it began before the facts read.
        public var start: UInt64?

        public init(_ activity: Activity, start: UInt64?) {
            self.activity = activity
            self.start = start
        }
    }

    /// What one fact did to its worker's spells, all at the fact's time.
    public struct Change: Sendable, Equatable {
        public var worker: Int
        /// The spell that was open and ends here without its own end event.
        public var cut: Spell?
        /// The spell this fact ends (runFinished: a job; workerUnparked: a sleep).
        public var ended: Spell?
        /// The spell that begins here.
        public var began: Spell

        public init(worker: Int, cut: Spell?, ended: Spell?, began: Spell) {
            self.worker = worker
            self.cut = cut
            self.ended = ended
            self.began = began
        }
    }

    private var current: [Spell?]

    public init(workers: Int) {
        current = Array(repeating: nil, count: max(0, workers))
    }

    public var workers: Int { current.count }

    /// The spell `worker` is in (nil: none known, or no such worker).
    public func spell(of worker: Int) -> Spell? {
        current.indices.contains(worker) ? current[worker] : nil
    }

    /// Says what `worker` is doing, from something other than a fact (a counter reading).
    public mutating func seed(_ worker: Int, _ spell: Spell) {
        guard current.indices.contains(worker) else { return }
        current[worker] = spell
    }

    /// Ends `worker`'s spell without a successor (a gap in the facts, the end of a recording).
    public mutating func close(_ worker: Int) -> Spell? {
        guard current.indices.contains(worker) else { return nil }
        defer { current[worker] = nil }
        return current[worker]
    }

    /// Moves the worker `fact` is about along; nil when it moves no spell (another kind, or a worker
    /// out of range). A watchdog report dates the start of a job whose start was not read.
    public mutating func take(_ fact: Fact, at time: UInt64) -> Change? {
        switch fact {
        case .runStarted(let task, let w):
            return begin(w, Spell(.job(task), start: time))
        case .workerParked(let w, let inDriver):
            return begin(w, Spell(.sleep(inDriver: inDriver), start: time))
        case .runFinished(let task, let w):
            guard current.indices.contains(w) else { return nil }
            if let open = current[w], case .job = open.activity {
                return end(w, open, at: time)
            }
            return cutAndEnd(w, Spell(.job(task), start: nil), at: time)
        case .workerUnparked(let w):
            guard current.indices.contains(w) else { return nil }
            switch current[w] {
            case .some(let open):
                if case .sleep = open.activity { return end(w, open, at: time) }
                return begin(w, Spell(.searching, start: time))
            case .none: return cutAndEnd(w, Spell(.sleep(inDriver: false), start: nil), at: time)
            }
        case .workerBlocked(let w, _, let jobStart):
            guard current.indices.contains(w), var open = current[w], case .job = open.activity, open.start == nil,
                jobStart != 0
            else { return nil }
            open.start = jobStart
            current[w] = open
            return nil
        case .spawned, .scheduled, .parked, .completed, .cancelled, .fdRegistered, .fdReady, .fdDeregistered,
            .stole, .blockingStarted, .blockingFinished, .timerFired, .wrote, .handleAwaited, .handleDropped:
            return nil
        }
    }

    private mutating func begin(_ w: Int, _ next: Spell) -> Change? {
        guard current.indices.contains(w) else { return nil }
        defer { current[w] = next }
        return Change(worker: w, cut: current[w], ended: nil, began: next)
    }

    private mutating func end(_ w: Int, _ open: Spell, at time: UInt64) -> Change {
        let next = Spell(.searching, start: time)
        current[w] = next
        return Change(worker: w, cut: nil, ended: open, began: next)
    }

    private mutating func cutAndEnd(_ w: Int, _ unseen: Spell, at time: UInt64) -> Change {
        let next = Spell(.searching, start: time)
        defer { current[w] = next }
        return Change(worker: w, cut: current[w], ended: unseen, began: next)
    }
}
