// What names the tasks runviz did not start and Swift did not name: the index of the executable's
// function symbols (CodeNames). It is built on a thread of its own when the first such task is
// sighted with events on (unless the runtime names them by kind: runviz's own sessions); a program
// (or a probe) that wants names from its very first task starts it earlier with `indexTaskCode()`
// (`installAsGlobalExecutor` does, when events are on) and may wait for `taskCodeIndex.settled`.

extension Runtime {
    /// The state of the symbol index that names tasks' code.
    public struct TaskCodeIndex: Sendable, Equatable {
        /// Indexing has ended, with symbols or without (a stripped executable).
        public let settled: Bool
        /// Function symbols indexed (0 until settled, or when there are none).
        public let functions: Int
        /// How long indexing took, in ns (0 until settled).
        public let nanos: UInt64
    }

    public static var taskCodeIndex: TaskCodeIndex {
        let names = CodeNames.shared
        let settled = names.isSettled
        return TaskCodeIndex(settled: settled, functions: names.symbolCount, nanos: settled ? names.indexNanos : 0)
    }

    /// Starts indexing the executable's symbols now, on a thread of its own (once; later calls do nothing).
    public static func indexTaskCode() { _ = CodeNames.shared.isReady() }
}
