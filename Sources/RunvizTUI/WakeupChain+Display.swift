// One wakeup as a chain of causes, the primer's wakeup timeline in one line:
// "fd 17 readable → wake t42 echo-conn → queued (3 ahead) → run on W1 after 35 µs", or in its short
// form for a narrow panel "fd 17 R → wake t42 echo-conn → 3 ahead → run on W1 after 35 µs" (the
// readiness letters of the fds panel).

import RunvizObservation
import RunvizTelemetry

extension WakeupChain {
    /// What woke the task: "fd 17 readable" ("fd 17 R" short), "timer", "t4" (another task), "spawn",
    /// "thread NIO-ELT-0-#1" (a thread of no task resuming it), "resume" (anything else).
    func sourceDescription(short: Bool = false) -> String {
        switch source {
        case .io: return "fd \(sourceArgument) " + (short ? readiness.description : readiness.readinessWord)
        case .timer: return "timer"
        case .task: return "\(TaskID(sourceArgument))"
        case .spawn: return "spawn"
        case .yield: return "yield"
        case .blockingPool: return "blocking pool"
        case .other: return wakerThread.map { "thread \($0)" } ?? "resume"
        }
    }

    func chain(_ glyphs: Glyphs, short: Bool = false) -> String {
        let woken = source == .spawn ? "\(task) \(taskName)" : "wake \(task) \(taskName)"
        return [
            sourceDescription(short: short), woken, short ? "\(queuedBehind) ahead" : "queued (\(queuedBehind) ahead)",
            "run on W\(worker) after \(Format.duration(latencyNanos, glyphs))",
        ].joined(separator: glyphs.then)
    }
}
