// Task-local values: bound with `withValue`, read in the binding task, in its `async let` and task
// group children and in `Task {}` (which copy them), not in `Task.detached`; an inner binding
// shadows the outer one until its scope ends.

enum Request {
    @TaskLocal static var id: String = "none"
}

func readRequestID(_ trace: Trace) async -> String {
    trace.onGlobal("async let child reading the task-local")
    return Request.id
}

let taskLocalCases: [ConformanceCase] = [
    ConformanceCase("task-local values: inheritance") { trace in
        trace.line("before binding: \(Request.id)")
        await Request.$id.withValue("outer") {
            trace.line("in the binding task: \(Request.id)")
            async let child = readRequestID(trace)
            trace.line("in an async let child: \(await child)")
            let fromGroup = await withTaskGroup(of: String.self) { group in
                group.addTask { Request.id }
                return await group.next() ?? "?"
            }
            trace.line("in a task group child: \(fromGroup)")
            trace.line("in Task {}: \(await Task { Request.id }.value)")
            trace.line("in Task.detached {}: \(await Task.detached { Request.id }.value)")
            await Request.$id.withValue("inner") {
                async let shadowed = readRequestID(trace)
                trace.line("inner binding, in an async let child: \(await shadowed)")
            }
            trace.line("after the inner binding: \(Request.id)")
        }
        trace.line("after the binding: \(Request.id)")
        trace.onGlobal("case body")
    }
]
