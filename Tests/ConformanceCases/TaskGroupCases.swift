// Task groups: `next` hands results back in the order children complete (fixed here by gates the
// parent opens one at a time), `cancelAll` cancels every child and the ones added after it but not
// the parent, a discarding group runs every child, and a child's error cancels its siblings and
// comes out of the group.

import RunvizLock

let taskGroupCases: [ConformanceCase] = [
    ConformanceCase("task group: next in completion order") { trace in
        let gates = (0..<5).map { _ in Gate() }
        let completionOrder = [3, 1, 4, 0, 2]
        await withTaskGroup(of: Int.self) { group in
            for index in 0..<5 {
                group.addTask {
                    trace.onGlobal("child before its gate")
                    await gates[index].wait()
                    trace.onGlobal("child after its gate")
                    return index * 10
                }
            }
            var results: [Int] = []
            for index in completionOrder {
                gates[index].open()
                if let result = await group.next() { results.append(result) }
            }
            trace.line("next, gates opened 3 1 4 0 2: \(results)")
            trace.line("next after the last child: \(await group.next().map(String.init) ?? "nil")")
        }
        let sum = await withTaskGroup(of: Int.self) { group in
            for value in 0..<100 { group.addTask { value } }
            return await group.reduce(0, +)
        }
        trace.line("sum of 100 children's results: \(sum)")
        trace.onGlobal("parent after the groups")
    },

    ConformanceCase("task group: cancelAll") { trace in
        let started = Latch(4)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    started.arrive()
                    await waitUntilCancelled()
                    trace.onGlobal("child after cancellation")
                    return Task.isCancelled
                }
            }
            await started.wait()
            group.cancelAll()
            var cancelled = 0
            for await sawCancellation in group where sawCancellation { cancelled += 1 }
            trace.line("children that saw cancellation: \(cancelled) of 4")
            trace.line("group.isCancelled: \(group.isCancelled)")
            trace.line("parent task cancelled by cancelAll: \(Task.isCancelled)")
            let added = group.addTaskUnlessCancelled { true }
            trace.line("addTaskUnlessCancelled after cancelAll added a child: \(added)")
            group.addTask { Task.isCancelled }
            trace.line("a child added after cancelAll starts cancelled: \(await group.next() ?? false)")
        }
    },

    ConformanceCase("task group: discarding") { trace in
        let counter = Tally()
        await withDiscardingTaskGroup { group in
            for _ in 0..<1000 {
                group.addTask {
                    counter.add()
                }
            }
            group.addTask { trace.onGlobal("discarding child") }
        }
        trace.line("children run by a discarding group: \(counter.value) (+1)")

        let siblingsStarted = Latch(5)
        let siblingsCancelled = Tally()
        do {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<5 {
                    group.addTask {
                        siblingsStarted.arrive()
                        await waitUntilCancelled()
                        siblingsCancelled.add()
                    }
                }
                group.addTask {
                    await siblingsStarted.wait()
                    trace.onGlobal("throwing discarding child")
                    throw Failure(code: 7)
                }
            }
            trace.line("throwing discarding group: returned")
        } catch {
            trace.line("throwing discarding group rethrew: \(error)")
        }
        trace.line("siblings cancelled by the error: \(siblingsCancelled.value) of 5")
    },

    ConformanceCase("task group: error from a child") { trace in
        let siblingsStarted = Latch(3)
        let siblingsCancelled = Tally()
        var received: [Int] = []
        do {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        siblingsStarted.arrive()
                        await waitUntilCancelled()
                        siblingsCancelled.add()
                        return index
                    }
                }
                group.addTask {
                    await siblingsStarted.wait()
                    trace.onGlobal("failing child")
                    throw Failure(code: 42)
                }
                while let value = try await group.next() { received.append(value) }
            }
            trace.line("group returned")
        } catch {
            trace.line("caught from the group: \(error)")
        }
        trace.line("values received before the error: \(received)")
        trace.line("siblings cancelled when the error left the group: \(siblingsCancelled.value) of 3")
        trace.onGlobal("parent after the group")
    },
]
