// `withTaskExecutorPreference`: with a TaskExecutor of the suite's own (one thread, "conf-executor"),
// the body, its `async let` and group children, a `Task(executorPreference:)` and a default actor's
// method called from it run on that executor, an unstructured `Task {}` from inside does not
// inherit the preference, and code after the scope is back on the global executor. With
// `globalConcurrentExecutor` (the default executor as a task executor), the same program gives the
// same results; where it runs is the runviz helper's question (the case notes it with `onGlobal`).

import Dispatch
import RunvizLock

/// A task executor with one thread of its own that runs its jobs in the order they came.
final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    static let threadName = "conf-executor"
    static let shared = OwnThreadExecutor()

    private let jobs = Lock<[UnownedJob]>([])
    private let parker = Parker()

    private init() {
        startThread(named: Self.threadName) { [self] in
            while true {
                let batch = jobs.withLock { jobs -> [UnownedJob] in
                    defer { jobs.removeAll() }
                    return jobs
                }
                if batch.isEmpty {
                    parker.park()
                    continue
                }
                for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            }
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        jobs.withLock { $0.append(unowned) }
        _ = parker.unpark()
    }
}

func onOwnExecutor() -> Bool { currentThreadName() == OwnThreadExecutor.threadName }

actor Ledger {
    func where_() -> Bool { onOwnExecutor() }
}

let executorPreferenceCases: [ConformanceCase] = [
    ConformanceCase("withTaskExecutorPreference: an executor of our own") { trace in
        let executor = OwnThreadExecutor.shared
        let ledger = Ledger()
        await withTaskExecutorPreference(executor) {
            trace.line("body on the preferred executor: \(onOwnExecutor())")
            async let child = onOwnExecutor()
            trace.line("async let child on it: \(await child)")
            let groupChildren = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { onOwnExecutor() } }
                return await group.reduce(true) { $0 && $1 }
            }
            trace.line("group children on it: \(groupChildren)")
            trace.line("a default actor's method on it: \(await ledger.where_())")
            trace.line("Task {} inside the scope on it: \(await Task { onOwnExecutor() }.value)")
            trace.line("Task.detached inside the scope on it: \(await Task.detached { onOwnExecutor() }.value)")
        }
        trace.onGlobal("after the preference scope")
        trace.line("after the scope, on it: \(onOwnExecutor())")
        let preferred = await Task(executorPreference: executor) { onOwnExecutor() }.value
        trace.line("Task(executorPreference:) on it: \(preferred)")
        let nilPreference = await withTaskExecutorPreference(nil) {
            trace.onGlobal("inside a nil preference")
            return onOwnExecutor()
        }
        trace.line("withTaskExecutorPreference(nil) on it: \(nilPreference)")
    },

    ConformanceCase("withTaskExecutorPreference: globalConcurrentExecutor") { trace in
        let sum = await withTaskExecutorPreference(globalConcurrentExecutor) {
            trace.onGlobal("body preferring globalConcurrentExecutor")
            async let child = square(5, trace)
            let fromGroup = await withTaskGroup(of: Int.self) { group in
                for value in 1...4 {
                    group.addTask {
                        trace.onGlobal("group child preferring globalConcurrentExecutor")
                        return value
                    }
                }
                return await group.reduce(0, +)
            }
            return await child + fromGroup
        }
        trace.line("5² + 1+2+3+4 under the preference: \(sum)")
        let value = await Task(executorPreference: globalConcurrentExecutor) {
            trace.onGlobal("Task(executorPreference: globalConcurrentExecutor)")
            return 7
        }.value
        trace.line("Task(executorPreference: globalConcurrentExecutor): \(value)")
    },
]
