// Every task `Runtime.spawn` started that has not finished yet, so that shutdown can cancel each one
// and wait for it to unwind (tokio's OwnedTasks: a runtime that stops drops all its tasks). A Swift
// task cannot be dropped while suspended; cancelled, every wait of the runtime resumes and throws,
// the task runs to its end on the still-running workers and lets go of what it holds. Invariants:
// a task is entered under the lock before it can run, so its `finished` never comes first; once
// `close` has run, a task entered later is cancelled at once; `finished` after `close` wakes the
// drain when the last task is gone.

import RunvizLock

/// A live task as the table holds it: one reference (an `any` existential of `Task` would take
/// 40 B a slot, the table holds one slot per live task, 10,000 idle connections are 10,000 slots).
/// Cancelling a task does not depend on its result type, so every task is cancelled as one.
struct LiveTask: @unchecked Sendable {
    private let object: AnyObject

    init<T, E>(_ task: Task<T, E>) { object = unsafeBitCast(task, to: AnyObject.self) }

    func cancel() { unsafeBitCast(object, to: Task<Never, Never>.self).cancel() }
}

final class LiveTasks: Sendable {
    private struct State {
        var tasks: [UInt64: LiveTask] = [:]
        var closed = false
    }
    private let state = Lock(State())
    private let emptied = Parker()

    /// Tasks started and not finished.
    var count: Int { state.withLock { $0.tasks.count } }

    /// Whether the task with `id` has been started and has not finished.
    func contains(_ id: UInt64) -> Bool { state.withLock { $0.tasks[id] != nil } }

    /// Makes a task with `make` (which starts it) and holds it until `finished(id)`. After `close`
    /// the task is still entered, so the drain waits for it, but cancelled at once.
    func start<T: Sendable>(_ make: () -> Task<T, Error>, id: (Task<T, Error>) -> UInt64) -> Task<T, Error> {
        let (task, closed) = state.withLock { s -> (Task<T, Error>, Bool) in
            let task = make()
            s.tasks[id(task)] = LiveTask(task)
            return (task, s.closed)
        }
        if closed { task.cancel() }
        return task
    }

    /// The task with `id` has run its body to the end.
    func finished(_ id: UInt64) {
        let drained = state.withLock { s -> Bool in
            s.tasks[id] = nil
            return s.closed && s.tasks.isEmpty
        }
        if drained { emptied.unpark() }
    }

    /// From now on every task entered is cancelled at once; cancels every task started so far.
    func close() {
        let all = state.withLock { s -> [LiveTask] in
            s.closed = true
            return Array(s.tasks.values)
        }
        for task in all { task.cancel() }
    }

    /// Waits until every task has finished or `deadline` (monotonic ns) passes; the tasks left.
    func waitUntilEmpty(deadline: UInt64) -> Int {
        while true {
            let left = count
            let now = monotonicNow()
            if left == 0 || now >= deadline { return left }
            emptied.park(timeoutNanos: Int64(clamping: min(deadline - now, 10_000_000)))
        }
    }
}
