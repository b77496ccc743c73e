// How the Parked tasks list is ordered (`o` cycles): most recent activity first by default, so
// live traffic and tasks just spawned are on screen even among 10,000 tasks; then by id, by state
// (what they are parked on), by polls and by busy time, the largest first.

import RunvizTelemetry

public enum TaskOrder: CaseIterable, Equatable, Sendable {
    case recent, id, state, polls, busy

    public var word: String {
        switch self {
        case .recent: return "recent first"
        case .id: return "by id"
        case .state: return "by state"
        case .polls: return "most polls first"
        case .busy: return "most busy first"
        }
    }

    /// The next order in the cycle.
    public var next: TaskOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// Whether `a` comes before `b` (ties by id, so the order is total and stable).
    func precedes(_ a: TaskSnapshot, _ b: TaskSnapshot) -> Bool {
        switch self {
        case .recent: if a.since != b.since { return a.since > b.since }
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
