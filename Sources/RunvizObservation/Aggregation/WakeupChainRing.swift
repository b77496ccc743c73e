// The last `capacity` wakeup chains (source → task → queued behind k → worker, latency), a ring:
// once full, each new chain overwrites the oldest, so memory stays bounded however busy the runtime.
// Task names, and the names of the threads of no task that woke one, are kept as interned ids and
// resolved when read.

import RunvizTelemetry

struct WakeupChainRing: Equatable {
    let capacity: Int
    private var chains: [WakeupChain] = []
    /// Interned name of each chain's task (nil: unnamed), parallel to `chains`.
    private var names: [UInt32?] = []
    /// Index of the oldest chain once the ring is full.
    private var start = 0

    init(capacity: Int = 64) { self.capacity = capacity }

    var count: Int { chains.count }

    mutating func append(_ chain: WakeupChain, name: UInt32?) {
        if chains.count < capacity {
            chains.append(chain)
            names.append(name)
        } else {
            chains[start] = chain
            names[start] = name
            start = (start + 1) % capacity
        }
    }

    /// Oldest first, each task named from `table`.
    func ordered(names table: [String]) -> [WakeupChain] {
        var out: [WakeupChain] = []
        out.reserveCapacity(chains.count)
        for k in 0..<chains.count {
            let i = (start + k) % chains.count
            var chain = chains[i]
            chain.taskName = names[i].flatMap { Int($0) < table.count ? table[Int($0)] : nil } ?? "task"
            if chain.source == .other, let thread = ForeignThread.nameID(in: chain.sourceArgument) {
                chain.wakerThread = Int(thread) < table.count ? table[Int(thread)] : "a thread"
            }
            out.append(chain)
        }
        return out
    }
}
