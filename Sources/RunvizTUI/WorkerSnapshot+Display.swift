// A worker's state as the screen shows it: a glyph, a word and a role, so the state reads by
// colour, by shape and by word ("● running  t42 echo-conn", "■ BLOCKED  t7 blocker 1.2 s").

import RunvizObservation
import RunvizTelemetry

extension WorkerSnapshot.State {
    func glyph(_ glyphs: Glyphs) -> String {
        switch self {
        case .running: return glyphs.workerRunning
        case .searching: return glyphs.workerSearching
        case .parked: return glyphs.workerParked
        case .parkedInDriver: return glyphs.workerInDriver
        case .blocked, .blockedOnLock: return glyphs.workerBlocked
        case .stopped: return glyphs.workerStopped
        }
    }

    var word: String {
        switch self {
        case .running: return "running"
        case .searching: return "searching"
        case .parked: return "parked"
        case .parkedInDriver: return "parked in epoll"
        case .blocked, .blockedOnLock: return "BLOCKED"
        case .stopped: return "stopped"
        }
    }

    var style: Style {
        switch self {
        case .running: return .running
        case .searching: return .idle
        case .parked, .parkedInDriver: return .parked
        case .blocked, .blockedOnLock: return .blocked
        case .stopped: return .dim
        }
    }

    /// The task the worker is on, if any (Enter on a worker row opens it).
    var task: TaskID? {
        switch self {
        case .running(let id, _, _), .blocked(let id, _, _), .blockedOnLock(let id, _, _): return id
        case .searching, .parked, .parkedInDriver, .stopped: return nil
        }
    }

    /// A job holds the worker past the blocked threshold, or waits for a blocking lock.
    var isBlocked: Bool {
        switch self {
        case .blocked, .blockedOnLock: return true
        case .running, .searching, .parked, .parkedInDriver, .stopped: return false
        }
    }

    /// How long the worker's job has run (nil: no job).
    var jobNanos: UInt64? {
        switch self {
        case .running(_, _, let nanos), .blocked(_, _, let nanos), .blockedOnLock(_, _, let nanos): return nanos
        case .searching, .parked, .parkedInDriver, .stopped: return nil
        }
    }

    /// What follows the word: "t42 echo-conn", "t7 blocker 1.2 s", "lock wait: t9 worker 300 ms"
    /// (the task named is the waiter whose job holds the worker, not the lock's holder).
    /// At most `width` columns: a name too long is cut, or left out, before the duration of a block,
    /// which must stay whole.
    func detail(_ glyphs: Glyphs, width: Int = .max) -> String {
        var prefix: String
        let (id, name, suffix): (TaskID, String, String)
        switch self {
        case .running(let task, let named, _): (prefix, id, name, suffix) = ("", task, named, "")
        case .blocked(let task, let named, let nanos):
            (prefix, id, name, suffix) = ("", task, named, " " + Format.duration(nanos, glyphs))
        case .blockedOnLock(let task, let named, let nanos):
            (prefix, id, name, suffix) = ("lock wait: ", task, named, " " + Format.duration(nanos, glyphs))
        case .searching, .parked, .parkedInDriver, .stopped: return ""
        }
        // Short of room, "lock wait: " says it in one word before the id loses anything.
        if prefix.count + "\(id)".count + suffix.count > width, !prefix.isEmpty { prefix = "lock: " }
        // A job of no task (a default actor's) shows only what it runs for: "actor Inventory".
        let label = id == .none ? "" : "\(id)"
        let room = width - prefix.count - (label.isEmpty ? 0 : label.count + 1) - suffix.count
        let shown = name.count <= room ? name : room >= 4 ? Format.clip(name, room, glyphs) : ""
        let who = label.isEmpty ? shown : shown.isEmpty ? label : "\(label) \(shown)"
        return prefix + who + suffix
    }
}
