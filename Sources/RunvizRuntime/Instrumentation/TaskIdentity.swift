// Which task a job belongs to, and which task is running now, from Swift's own task ids (the number
// `UnownedJob.description` prints; 0 for jobs that belong to no task), read through `SwiftRuntime`.
// A task object is its own job, so the same read works on a `Task` handle and on the current task.
// Read the id before running a job: the job may be freed once it has run.

enum TaskIdentity {
    @inline(__always)
    static func of(_ job: UnownedJob) -> UInt64 {
        SwiftRuntime.taskID(of: job)
    }

    static func of<T, E>(_ task: Task<T, E>) -> UInt64 {
        SwiftRuntime.taskID(of: task)
    }

    /// The id of the task running on this thread (0: not inside a task). Inside a job on a worker,
    /// that is the job's task, which the worker noted when the job started (a task's job runs as that
    /// task): one thread-local read. Elsewhere (a thread that resumes a runviz task from outside,
    /// such as an event loop of another library, on every wake it causes) the Swift runtime's own
    /// current task, through `SwiftRuntime`.
    @inline(__always)
    static var current: UInt64 {
        if let task = WorkerContext.runningJobTask { return task }
        return SwiftRuntime.currentTaskID()
    }
}
