// The blocking pool's threads and jobs at one instant, as RuntimeMetrics publishes them: part of
// every CounterReading and of the snapshot the screen draws.

public struct BlockingPoolSnapshot: Sendable, Codable, Equatable {
    public var threads: Int
    public var busy: Int
    public var queued: Int
    public var completed: UInt64
    public init(threads: Int = 0, busy: Int = 0, queued: Int = 0, completed: UInt64 = 0) {
        self.threads = threads
        self.busy = busy
        self.queued = queued
        self.completed = completed
    }
}
