// One wakeup as a chain of causes, the primer's wakeup timeline in one line:
// "fd 17 readable → wake t42 echo-conn → queued (3 ahead) → run on W1 after 35 µs".

import RunvizTelemetry

extension WakeupChain {
    /// What woke the task: "fd 17 readable", "timer", "t4" (another task), "spawn", "yield".
    var sourceDescription: String {
        switch source {
        case .io: return "fd \(sourceArgument) \(readiness.readinessWord)"
        case .timer: return "timer"
        case .task: return "\(TaskID(sourceArgument))"
        case .spawn: return "spawn"
        case .yield: return "yield"
        case .blockingPool: return "blocking pool"
        case .other: return "resume"
        }
    }

    func chain(_ glyphs: Glyphs) -> String {
        let woken = source == .spawn ? "\(task) \(taskName)" : "wake \(task) \(taskName)"
        return [
            sourceDescription, woken, "queued (\(queuedBehind) ahead)",
            "run on W\(worker) after \(Format.duration(latencyNanos, glyphs))",
        ].joined(separator: glyphs.then)
    }
}
