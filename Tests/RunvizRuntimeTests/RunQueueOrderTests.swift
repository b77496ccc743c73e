// On one worker, tasks start in the order they were spawned even past a full local queue: the
// queue moves its older half to the inject queue, and the worker takes those jobs from there before
// the newer ones still on its queue.

import RunvizLock
import Testing

@testable import RunvizRuntime

@Suite struct RunQueueOrderTests {
    @Test func onOneWorkerTasksStartInSpawnOrderPastAFullQueue() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        defer { runtime.shutdown() }
        let count = Int(RunQueue.capacity) * 3 + 7
        let started = try runtime.blockOn {
            let order = Lock<[Int]>([])
            var handles: [JoinHandle<Void>] = []
            for i in 0..<count { handles.append(runtime.spawn(name: "numbered") { order.withLock { $0.append(i) } }) }
            for handle in handles { try await handle.value }
            return order.withLock { $0 }
        }
        #expect(started.count == count)
        // The first task out of its place, if any (not the whole list).
        #expect(zip(started, 0..<count).first { $0 != $1 }.map { "task \($0.0) started \($0.1)th" } == nil)
    }
}
