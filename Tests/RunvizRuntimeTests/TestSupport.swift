// Runtime tests watch a runtime through an aggregator (RunvizTestSupport's RuntimeWatch); this builds
// one with the worker count and blocked threshold a test asks for.

import RunvizRuntime
import RunvizTestSupport

extension RuntimeWatch {
    init(workers: Int = 2, blockedMs: Int = 10) throws {
        self.init(
            try Runtime(RuntimeConfiguration(workers: workers, blockedThreshold: .milliseconds(blockedMs))),
            blockedNanos: UInt64(blockedMs) * 1_000_000)
    }
}
