// How the Parked tasks list is ordered (`o` cycles): newest first by default, by spawn time, which
// never changes: a row stays where it is while its task parks and wakes, so it can be read and
// chosen, and a task just spawned appears at the top, where the learner looks, even among 10,000
// connections (an order by last activity moved every busy row on every frame and sank a new sleeping
// task under the live traffic). Then by id, by state (what they are parked on), by polls and by busy
// time, the largest first: those orders move rows, and the selection follows its task.

import RunvizObservation

enum TaskOrder: CaseIterable, Equatable, Sendable {
    case newest, id, state, polls, busy

    var word: String {
        switch self {
        case .newest: return "newest first"
        case .id: return "by id"
        case .state: return "by state"
        case .polls: return "most polls first"
        case .busy: return "most busy first"
        }
    }

    /// The next order in the cycle.
    var next: TaskOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// Whether `a` comes before `b` (ties by id, so the order is total and stable).
    func precedes(_ a: TaskSnapshot, _ b: TaskSnapshot) -> Bool {
        switch self {
        case .newest:
            if a.spawnedAt != b.spawnedAt { return a.spawnedAt > b.spawnedAt }
            return a.id > b.id
        case .id: break
        case .state:
            let (ka, kb) = (Self.stateKey(a), Self.stateKey(b))
            if ka != kb { return ka < kb }
        case .polls: if a.polls != b.polls { return a.polls > b.polls }
        case .busy: if a.busyNanos != b.busyNanos { return a.busyNanos > b.busyNanos }
        }
        return a.id < b.id
    }

    private static func stateKey(_ task: TaskSnapshot) -> String {
        guard case .parked(let reason) = task.state else { return task.state.word }
        return "\(reason.kind.rawValue) \(reason)"
    }
}
