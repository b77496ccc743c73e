// One wakeup as a chain of causes, the primer's wakeup timeline in one line:
// "fd 17 readable → wake t42 echo-conn → queued (3 ahead) → run on W1 after 35 µs", or in its short
// form for a narrow panel "fd 17 R → wake t42 echo-conn → 3 ahead → run on W1 after 35 µs" (the
// readiness letters of the fds panel). A wake whose source does not say what the task waited on
// names it after the task: "thread NIO-ELT-0-#1 → wake t12 Task {} (continuation) → …".

import RunvizObservation
import RunvizTelemetry

extension WakeupChain {
    /// What woke the task: "fd 17 readable" ("fd 17 R" short), "timer", "t4" (another task, or the one
    /// whose job resumed it), "spawn", "thread NIO-ELT-0-#1" (a thread of no task resuming it),
    /// "resume" (anything else).
    func sourceDescription(short: Bool = false) -> String {
        switch source {
        case .io: return "fd \(sourceArgument) " + (short ? readiness.description : readiness.readinessWord)
        case .timer: return "timer"
        case .task: return "\(TaskID(sourceArgument))"
        case .spawn: return "spawn"
        case .yield: return "yield"
        case .blockingPool: return "blocking pool"
        case .other:
            // Else the task whose job resumed it (a child ending, a continuation), not itself.
            if let wakerThread { return "thread \(wakerThread)" }
            return source.wakingTask(argument: sourceArgument, of: task).map { "\($0)" } ?? "resume"
        }
    }

    /// What the woken task had waited on, where the source does not say it: a continuation, a task,
    /// a task group, an actor's queue.
    var waitedWord: String? {
        switch parkedOn {
        case .continuation: return "continuation"
        case .taskGroup: return "task group"
        case .actor: return "actor"
        case .join: return source == .task ? nil : "join"
        default: return nil
        }
    }

    func chain(_ glyphs: Glyphs, short: Bool = false) -> String {
        var woken = source == .spawn ? "\(task) \(taskName)" : "wake \(task) \(taskName)"
        if let waited = waitedWord { woken += " (\(waited))" }
        return [
            sourceDescription(short: short), woken, short ? "\(queuedBehind) ahead" : "queued (\(queuedBehind) ahead)",
            "run on W\(worker) after \(Format.duration(latencyNanos, glyphs))",
        ].joined(separator: glyphs.then)
    }
}
