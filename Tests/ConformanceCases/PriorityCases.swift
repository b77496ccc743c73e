// Priority escalation: a background task awaited by a high-priority task is escalated — its
// escalation handler runs once with the new priority and `Task.currentPriority` reads it, while its
// base priority stays. If no escalation comes within `escalationWait`, the case goes on and says so
// (rather than hang).

let escalationWait = Duration.seconds(5)

let priorityCases: [ConformanceCase] = [
    ConformanceCase("priority escalation: awaited by a higher-priority task") { trace in
        let waiting = Gate()
        let proceed = Gate()
        let escalations = Events()
        let low = Task(priority: .background) {
            let before = Task.currentPriority
            await withTaskPriorityEscalationHandler {
                // The handler is in place from here: an escalation before it would not call it.
                waiting.open()
                await proceed.wait()
            } onPriorityEscalated: { old, new in
                escalations.append("\(old) → \(new)")
                proceed.open()
            }
            trace.onGlobal("low-priority task after its escalation")
            return (before, Task.currentPriority, Task.basePriority)
        }
        await waiting.wait()
        let fallback = Task {
            try? await Task.sleep(for: escalationWait)
            proceed.open()
        }
        let high = Task(priority: .high) { await low.value }
        let (before, after, base) = await high.value
        fallback.cancel()
        trace.line("low task's priority before: \(before)")
        trace.line("escalation handler calls: \(escalations.all)")
        trace.line("low task's Task.currentPriority after a high task awaited it: \(after)")
        trace.line("low task's base priority: \(base.map { "\($0)" } ?? "nil")")
    }
]
