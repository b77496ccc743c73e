// The last `capacity` wakeup chains (source → task → queued behind k → worker, latency), a ring:
// once full, each new chain overwrites the oldest, so memory stays bounded however busy the runtime.
// A chain is kept as a plain record of numbers (Link: no strings, so appending one is a store of a
// few words, once per run a wake led to) and becomes a WakeupChain when read: task names, and the
// names of the threads of no task that woke one, are kept as interned ids and resolved then.

import RunvizTelemetry

struct WakeupChainRing: Equatable {
    /// One chain as the aggregator saw it at the run's start.
    struct Link: Equatable {
        var argument: UInt64
        var wokenAt: UInt64
        var latency: UInt64
        var task: UInt64
        var worker: Int
        var queuedBehind: UInt32
        /// The task's interned name, when `named`.
        var nameID: UInt32
        var named: Bool
        var source: WakeSource
        var readiness: Interest
        var parkedOn: ParkKind?

        /// The run of `task` on `worker` that resolved `wake`, `latency` after it; `readiness`: what
        /// the kernel last reported on the fd of an io wake; `name`: the task's interned name.
        init(wake: PendingWake, task: UInt64, worker: Int, latency: UInt64, readiness: Interest, name: UInt32?) {
            argument = wake.argument
            wokenAt = wake.at
            self.latency = latency
            self.task = task
            self.worker = worker
            queuedBehind = wake.aheadCount
            nameID = name ?? 0
            named = name != nil
            source = wake.source
            self.readiness = readiness
            parkedOn = wake.parkedOn
        }

        /// `chain` as a link (its names are the ring's to resolve).
        init(_ chain: WakeupChain, name: UInt32?) {
            argument = chain.sourceArgument
            wokenAt = chain.wokenAt
            latency = chain.latencyNanos
            task = chain.task.raw
            worker = chain.worker
            queuedBehind = UInt32(clamping: chain.queuedBehind)
            nameID = name ?? 0
            named = name != nil
            source = chain.source
            readiness = chain.readiness
            parkedOn = chain.parkedOn
        }

        /// The chain this link records, named from `table`.
        func chain(names table: [String]) -> WakeupChain {
            var chain = WakeupChain(
                source: source, sourceArgument: argument, readiness: readiness, task: TaskID(task),
                taskName: named && Int(nameID) < table.count ? table[Int(nameID)] : "task",
                queuedBehind: Int(queuedBehind), worker: worker, latencyNanos: latency, wokenAt: wokenAt)
            chain.parkedOn = parkedOn
            if source == .other, let thread = ForeignThread.nameID(in: argument) {
                chain.wakerThread = Int(thread) < table.count ? table[Int(thread)] : "a thread"
            }
            return chain
        }
    }

    let capacity: Int
    private var links: [Link] = []
    /// Index of the oldest chain once the ring is full.
    private var start = 0

    init(capacity: Int = 64) { self.capacity = capacity }

    var count: Int { links.count }

    @inline(__always)
    mutating func append(_ link: Link) {
        if links.count < capacity {
            links.append(link)
        } else {
            links[start] = link
            start = start + 1 == capacity ? 0 : start + 1
        }
    }

    /// Appends `chain` (its `taskName` and `wakerThread` are resolved at read time from `name`).
    mutating func append(_ chain: WakeupChain, name: UInt32?) { append(Link(chain, name: name)) }

    /// Oldest first, each task named from `table`.
    func ordered(names table: [String]) -> [WakeupChain] {
        var out: [WakeupChain] = []
        out.reserveCapacity(links.count)
        for k in 0..<links.count { out.append(links[(start + k) % links.count].chain(names: table)) }
        return out
    }
}
