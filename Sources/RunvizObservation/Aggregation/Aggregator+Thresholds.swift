// When a fact becomes a lint (and a long job a BLOCKED worker): the thresholds, in nanoseconds.

extension Aggregator {
    public struct Thresholds: Sendable, Equatable {
        /// A single job longer than this marks its worker blocked.
        public var blocked: UInt64
        /// A task polled this long without yielding.
        public var longPoll: UInt64
        /// A task waiting in a run queue this long is starving.
        public var starvation: UInt64
        /// A task parked on nothing the runtime can wake for this long has lost its waker.
        public var lostWaker: UInt64
        public init(
            blocked: UInt64 = 10_000_000, longPoll: UInt64 = 100_000_000, starvation: UInt64 = 50_000_000,
            lostWaker: UInt64 = 1_000_000_000
        ) {
            self.blocked = blocked
            self.longPoll = longPoll
            self.starvation = starvation
            self.lostWaker = lostWaker
        }
    }
}
