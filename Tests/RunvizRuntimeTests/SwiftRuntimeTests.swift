// The Swift runtime's entry points agree with the public API they stand in for, on whichever path the
// build took (SwiftRuntime.path): a real task's id read from its jobs, its handle and inside it equals
// the id its job's description prints, and the current task's id the one `withUnsafeCurrentTask`
// hands out (0 outside any task); a cancellation handler runs when `withTaskCancellationHandler`
// runs one (at once for a task already cancelled, once while the operation runs, never after it).
// An `UnownedSerialExecutor` is the two words the generic executor is made of (its use is tested by
// GlobalExecutorTests).

import Foundation
import RunvizLock
import Synchronization
import Testing

@testable import RunvizRuntime

/// A task executor that notes, for every job it is handed, the id read through `SwiftRuntime` and the
/// one the job's description prints, then runs the job on a thread of its own.
private final class NotingExecutor: TaskExecutor {
    // RunvizLock, not Synchronization's Mutex: its hand-overs are visible to ThreadSanitizer.
    let ids = Lock<[(read: UInt64, described: UInt64)]>([])

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        ids.withLock { $0.append((SwiftRuntime.taskID(of: job), SwiftRuntime.describedTaskID(of: job))) }
        let executor = asUnownedTaskExecutor()
        Thread.detachNewThread { job.runSynchronously(on: executor) }
    }
}

/// What a cancellation scenario saw, in order.
private final class Log: Sendable {
    private let lines = Lock<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    /// Waits (up to 5 s) until `line` was logged.
    func wait(for line: String) async {
        let deadline = ContinuousClock.now + .seconds(5)
        while !all.contains(line) && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(1)) }
    }
}

@Suite struct SwiftRuntimeTests {
    enum API: CaseIterable {
        case swiftRuntime
        case standardLibrary
    }

    /// `operation` under a cancellation handler, through `api`.
    func withHandler(_ api: API, _ operation: () async -> Void, onCancel: @Sendable () -> Void) async {
        switch api {
        case .swiftRuntime: await SwiftRuntime.withCancellationHandler(operation, onCancel: onCancel)
        case .standardLibrary: await withTaskCancellationHandler(operation: operation, onCancel: onCancel)
        }
    }

    /// `SwiftRuntime.genericExecutor` is two zero words cast to an `UnownedSerialExecutor`: sound only
    /// while that struct is the runtime's two-word executor reference.
    @Test func anUnownedSerialExecutorIsTheRuntimesTwoWordReference() {
        #expect(MemoryLayout<UnownedSerialExecutor>.size == 2 * MemoryLayout<UInt>.size)
    }

    @Test func aTasksIdIsTheOneItsJobsDescriptionPrints() async throws {
        let executor = NotingExecutor()
        let tasks = (0..<2).map { _ in
            Task(executorPreference: executor) { () -> UInt64 in
                await Task.yield()
                return withUnsafeCurrentTask { SwiftRuntime.taskID(of: $0!) }
            }
        }
        var inside: [UInt64] = []
        for task in tasks { inside.append(await task.value) }
        let handles = tasks.map { SwiftRuntime.taskID(of: $0) }
        let jobs = executor.ids.withLock { $0 }

        #expect(jobs.count >= 4, "each task ran at least twice: before and after its yield")
        for job in jobs { #expect(job.read == job.described, "the job's id is the one its description prints") }
        #expect(handles == inside, "a handle names the task that runs behind it")
        // The runtime may hand the executor a job of no task too (its id 0, "id: nil" both ways).
        #expect(Set(jobs.map(\.read)).subtracting([0]) == Set(inside), "every task job is one of the two tasks'")
        #expect(Set(inside).count == 2 && !inside.contains(0), "two tasks, two ids, none of them 0")
    }

    @Test func theCurrentTasksIdIsTheOneWithUnsafeCurrentTaskHandsOut() async {
        let (read, handedOut) = await Task.detached {
            (SwiftRuntime.currentTaskID(), withUnsafeCurrentTask { SwiftRuntime.taskID(of: $0!) })
        }.value
        #expect(read == handedOut && read != 0, "inside a task: that task's id")
        let outside = Lock<UInt64?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outside.withLock { $0 = SwiftRuntime.currentTaskID() }
            done.signal()
        }
        done.wait()
        #expect(outside.withLock { $0 } == 0, "a thread outside any task: 0")
    }

    @Test(arguments: API.allCases) func aTaskAlreadyCancelledRunsTheHandlerAtOnce(_ api: API) async {
        let log = Log()
        await Task {
            withUnsafeCurrentTask { $0!.cancel() }
            await withHandler(api, { log.add("operation") }, onCancel: { log.add("handler") })
            log.add("returned")
        }.value
        #expect(log.all == ["handler", "operation", "returned"])
    }

    @Test(arguments: API.allCases) func cancellingWhileTheOperationRunsRunsTheHandlerOnce(_ api: API) async {
        let log = Log()
        let handled = Atomic<Bool>(false)
        let task = Task {
            await withHandler(
                api,
                {
                    log.add("operation")
                    while !handled.load(ordering: .acquiring) { await Task.yield() }
                    log.add("operation saw the handler")
                },
                onCancel: {
                    log.add("handler")
                    handled.store(true, ordering: .releasing)
                })
            log.add("returned")
        }
        await log.wait(for: "operation")
        task.cancel()
        await task.value
        #expect(log.all == ["operation", "handler", "operation saw the handler", "returned"])
    }

    @Test(arguments: API.allCases) func cancellingAfterTheOperationRunsNoHandler(_ api: API) async {
        let log = Log()
        let task = Task {
            await withHandler(api, { log.add("operation") }, onCancel: { log.add("handler") })
            log.add("returned")
            while !Task.isCancelled { await Task.yield() }
        }
        await log.wait(for: "returned")
        task.cancel()
        await task.value
        #expect(log.all == ["operation", "returned"])
    }
}
