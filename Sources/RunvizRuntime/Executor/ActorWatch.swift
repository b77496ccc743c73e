// The tasks runviz did not start that it saw queued on an actor, watched until they leave it. A task
// runs on an actor out of runviz's sight: on the main actor, on the main thread through Dispatch's
// main queue (on Swift 6.3 a main-actor enqueue goes to the Swift main executor:
// `swift_task_enqueueMainExecutor_hook` is never called, a probe that set it saw no call for
// `MainActor.run` nor for a `@MainActor` task); on a default actor, inside the actor's job, which a
// worker runs as a job of no task. So a task whose last run is on an actor (an order that ends by
// updating a `@MainActor` summary, an `async let` that ends in an actor's method) would never be seen
// to end. A worker that reads, after a task's run, that the task is queued on an actor
// (TaskLayout.Dependency.mainActor / .actor) hands it here with a reference of its own; the watchdog
// looks at every watched task each tick (`check`): one that completed is recorded `completed` then
// (at most one tick after its end, from the watchdog's thread); one that waits on something else,
// is queued on the global executor again, or is a worker's running task is runviz's to see again
// and is let go; one still queued on an actor, or running off the workers' own task jobs (on the
// main thread, in an actor's job), stays watched.
//
// Invariants: every watched task holds one reference taken by `watch`, released when it leaves the
// list; `check` runs on the watchdog thread only; the list is bounded (`capacity`): past it a task is
// not watched and reads as before (parked on its actor until it is seen again).

import RunvizLock
import RunvizTelemetry
import Synchronization

final class ActorWatch: Sendable {
    private struct Watched {
        let task: UnownedJob
        let id: UInt64
    }

    static let capacity = 4_096

    private let watched = Lock<[Watched]>([])
    /// How many tasks are watched: `check` takes the lock only when some are.
    private let count = Atomic<Int>(0)

    /// Watches `task`, queued on an actor: called inside a worker's reference to it.
    func watch(_ task: UnownedJob, task id: UInt64) {
        let added = watched.withLock { list -> Bool in
            guard list.count < Self.capacity else { return false }
            TaskLayout.retain(task)
            list.append(Watched(task: task, id: id))
            return true
        }
        if added { count.add(1, ordering: .relaxed) }
    }

    /// One look at every watched task (watchdog thread): records the ends, lets go of the tasks that
    /// left the main actor.
    func check(_ layout: TaskLayout, workers: [Worker], recorder: Recorder) {
        guard count.load(ordering: .relaxed) > 0 else { return }
        var released: [UnownedJob] = []
        watched.withLock { list in
            list.removeAll { entry in
                if layout.isComplete(entry.task) {
                    recorder.hub.metrics.taskFinished()
                    recorder.record(.completed, task: entry.id)
                } else if layout.isRunning(entry.task) {
                    // On the main thread, or on a worker, which sees it from here on.
                    guard workers.contains(where: { $0.runningTask == entry.id }) else { return false }
                } else {
                    switch layout.dependency(of: entry.task) {
                    case .mainActor, .actor: return false
                    default: break
                    }
                }
                released.append(entry.task)
                return true
            }
            count.store(list.count, ordering: .relaxed)
        }
        for task in released { TaskLayout.release(task) }
    }

    /// Lets go of every watched task (the watchdog's end).
    func releaseAll() {
        let all = watched.withLock { list in
            defer { list.removeAll() }
            return list
        }
        count.store(0, ordering: .relaxed)
        for entry in all { TaskLayout.release(entry.task) }
    }
}
