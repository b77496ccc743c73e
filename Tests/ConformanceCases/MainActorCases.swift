// The main actor: from a task, `MainActor.run`, a @MainActor function and `Task { @MainActor in }`
// run on the main queue (the main actor's executor), and code after the hop back runs off it; 100
// round trips; main-actor state updated from many tasks ends with the exact count. The helpers'
// async main leaves Dispatch draining the main queue, in both modes.

@MainActor var mainActorCounter = 0

@MainActor func onMainActor() -> Bool { onMainQueue() }

let mainActorCases: [ConformanceCase] = [
    ConformanceCase("@MainActor hops") { trace in
        trace.line("MainActor.run on the main queue: \(await MainActor.run { onMainQueue() })")
        trace.line("a @MainActor function on the main queue: \(await onMainActor())")
        trace.line("back from it, off the main queue: \(!onMainQueue())")
        trace.onGlobal("after a @MainActor call")
        trace.line("Task { @MainActor in } on the main queue: \(await Task { @MainActor in onMainQueue() }.value)")
        let fromDetached = await Task.detached { await onMainActor() }.value
        trace.line("from a detached task, a @MainActor function on the main queue: \(fromDetached)")
        var onMain = 0
        var offMain = 0
        for _ in 0..<100 {
            if await onMainActor() { onMain += 1 }
            if !onMainQueue() { offMain += 1 }
        }
        trace.onGlobal("after 100 round trips")
        trace.line("100 round trips: \(onMain) on the main queue, \(offMain) back off it")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    for _ in 0..<100 { await MainActor.run { mainActorCounter += 1 } }
                }
            }
        }
        trace.line("main-actor counter after 10 tasks × 100 increments: \(await MainActor.run { mainActorCounter })")
    }
]
