// Each lint kind's name and the one-line lesson it teaches.

import RunvizTelemetry

extension Lint.Kind {
    var title: String {
        switch self {
        case .blockedWorker: return "blocked worker"
        case .longPoll: return "long poll"
        case .starvation: return "starvation"
        case .lostWaker: return "lost waker"
        }
    }

    var explanation: String {
        switch self {
        case .blockedWorker: return "blocking code stalls its worker's tasks: use the blocking pool (B)"
        case .longPoll: return "a job that never awaits holds its worker: await, yield, or use the pool"
        case .starvation: return "ready tasks wait for a worker: the workers are busy or blocked"
        case .lostWaker: return "nothing registered can wake this task: it will never run again"
        }
    }
}
