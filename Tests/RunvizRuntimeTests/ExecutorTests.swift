import CRunvizLinux
import Foundation
import RunvizLock
import RunvizRuntime
import RunvizTestSupport
import Synchronization
import Testing

@Suite struct ExecutorTests {
    @Test func everyJobOfASpawnedTaskRunsOnAWorkerThread() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let mainThread = runviz_gettid()
        let threads = try rt.blockOn { () -> [Int32] in
            var seen: [Int32] = []
            seen.append(runviz_gettid())
            for _ in 0..<20 {
                await rt.yieldNow()
                seen.append(runviz_gettid())
            }
            try await rt.sleep(for: .milliseconds(2))
            seen.append(runviz_gettid())
            async let child = { runviz_gettid() }()
            seen.append(await child)
            let h = rt.spawn(name: "child") { runviz_gettid() }
            seen.append(try await h.value)
            return seen
        }
        let workerThreads = Set(threads)
        #expect(!workerThreads.contains(mainThread))
        #expect(workerThreads.count <= 2)
        for tid in workerThreads {
            let name = threadName(tid)
            #expect(name.hasPrefix("runviz-w"), "job ran on \(name)")
        }
    }

    @Test func joinHandleReturnsValueAndCancels() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let v = try rt.blockOn {
            let h = rt.spawn(name: "answer") { 42 }
            return try await h.value
        }
        #expect(v == 42)
        let cancelled = try rt.blockOn { () -> Bool in
            let h = rt.spawn(name: "sleeper") { try await rt.sleep(for: .seconds(30)) }
            h.cancel()
            do {
                try await h.value
                return false
            } catch is CancellationError { return true }
        }
        #expect(cancelled)
    }

    @Test func timersFireInDeadlineOrder() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 2))
        defer { rt.shutdown() }
        let order = try rt.blockOn { () -> [Int] in
            let log = Lock<[Int]>([])
            var handles: [JoinHandle<Void>] = []
            for ms in [40, 10, 30, 20, 50] {
                handles.append(
                    rt.spawn(name: "timer-\(ms)") {
                        try await rt.sleep(for: .milliseconds(ms))
                        log.withLock { $0.append(ms) }
                    })
            }
            for h in handles { try await h.value }
            return log.withLock { $0 }
        }
        #expect(order == [10, 20, 30, 40, 50])
    }

    @Test func badConfigurationIsAClearError() {
        #expect(throws: RuntimeError.invalidSetting(.workers, "must be between 1 and 64 (got 0)")) {
            try Runtime(RuntimeConfiguration(workers: 0))
        }
        #expect(
            "\(RuntimeError.invalidSetting(.workers, "must be between 1 and 64 (got 0)"))"
                == "invalid runtime configuration: workers must be between 1 and 64 (got 0)")
        #expect(throws: RuntimeError.self) { try Runtime(RuntimeConfiguration(workers: 2, maxBlockingThreads: 0)) }
        #expect(throws: RuntimeError.self) { try Runtime(RuntimeConfiguration(workers: 100_000)) }
    }

    @Test func shutdownJoinsEveryThreadAndIsIdempotent() throws {
        let rt = try Runtime(RuntimeConfiguration(workers: 3))
        // Occupy all three workers at once so each reports its thread id.
        let tids = try rt.blockOn { () -> Set<Int32> in
            let arrived = Atomic<Int>(0)
            var handles: [JoinHandle<Int32>] = []
            for i in 0..<3 {
                handles.append(
                    rt.spawn(name: "occupy-\(i)") {
                        arrived.add(1, ordering: .relaxed)
                        while arrived.load(ordering: .relaxed) < 3 { usleep(100) }
                        return runviz_gettid()
                    })
            }
            var tids = Set<Int32>()
            for h in handles { tids.insert(try await h.value) }
            return tids
        }
        #expect(tids.count == 3)
        for tid in tids { #expect(FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)")) }
        rt.shutdown()
        rt.shutdown()
        for tid in tids {
            #expect(!FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)"), "thread \(tid) still alive")
        }
        #expect(throws: RuntimeError.shutDown) { try rt.blockOn { 1 } }
    }
}

func threadName(_ tid: Int32) -> String {
    let name = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
    return name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
}
