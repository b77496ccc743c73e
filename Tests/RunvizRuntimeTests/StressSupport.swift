// Helpers for the stress suite: run a blocking step on a thread of its own and wait for it with a
// deadline (a hang fails the test instead of stalling the run), count outcomes by kind, and check
// that a shut-down runtime has no worker or blocking-pool thread left.

import Dispatch
import Foundation
import RunvizLock
import RunvizTestSupport

@testable import RunvizRuntime

enum Stress {
    /// Runs `body` on a thread of its own; its value if it returned within `seconds`, else nil.
    static func within<T: Sendable>(_ seconds: Double = 5, _ body: @escaping @Sendable () throws -> T) -> Result<
        T, Error
    >? {
        let done = DispatchSemaphore(value: 0)
        let box = Lock<Result<T, Error>?>(nil)
        Thread {
            let r = Result { try body() }
            box.withLock { $0 = r }
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return box.withLock { $0 }
    }

    /// Shuts `runtime` down on a helper thread; true if it returned within the deadline.
    static func shutDown(_ runtime: Runtime, within seconds: Double = 5) -> Bool {
        within(seconds) { runtime.shutdown() } != nil
    }

    /// Every worker has left its loop and the blocking pool has neither a live nor an unjoined thread.
    static func noThreadLeft(_ runtime: Runtime) -> Bool {
        workersStopped(runtime) && runtime.blockingPool.threads == 0 && runtime.blockingPool.unjoinedThreads == 0
    }

    /// Every worker has left its loop.
    static func workersStopped(_ runtime: Runtime) -> Bool {
        runtime.telemetry.workers.allSatisfy { $0.activity == .stopped }
    }
}

/// A tally tasks add to from any worker; the test reads it once they are done.
final class Tally: Sendable {
    private let counts = Lock<[String: Int]>([:])

    func add(_ kind: String, _ n: Int = 1) { counts.withLock { $0[kind, default: 0] += n } }

    subscript(kind: String) -> Int { counts.withLock { $0[kind, default: 0] } }

    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
