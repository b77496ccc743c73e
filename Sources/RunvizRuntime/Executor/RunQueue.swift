// A worker's local run queue: a lock-free ring of 1,024 jobs in tokio's shape
// (scheduler/multi_thread/queue.rs; tokio's holds 256). Four times tokio's, because Swift's
// `async let` trees and task groups queue their children in bursts: with 256 a Fibonacci of
// `async let`s spilled, and under load took up to 8 % more jobs than on Swift's default executor.
// Its owner, the worker's thread, is the only one that pushes (at `tail`) and pops (at `head`'s
// real index); a thief takes the older half, rounded up, into its own queue (`stealHalf(into:)`).
// When the ring is full, its older half moves to the inject queue in one locked batch and the new
// job takes the room (tokio moves the new job too), so a burst of wakes on one worker spills over
// to the others; the worker takes the moved jobs back first (Worker.olderInInject), so that its own
// jobs still run in the order they came: an `async let` tree then takes as many jobs as on Swift's
// default executor (GlobalExecutorTests).
//
// Invariants: `head` packs two indices, steal (high word) and real (low word); they differ only
// while a thief copies out the slots between them, and only one thief at a time may do so. The
// owner never writes a slot a thief may still read (`tail - steal < capacity`), and reads its own
// slot after its CAS has taken it; a slot is written before `tail` is published (release, and
// sequentially consistent for the park handshake: a worker about to sleep either sees the job or
// its pusher sees the sleeper), read after `tail` is loaded (acquire). Indices are UInt32 and wrap.
// `count` is read lock-free by the owner's empty check, notifiers and the watchdog; the jobs a
// thief is copying count for neither queue until it publishes them. The worker's WorkerMetrics
// gets a copy of the depth for the dashboard, written by whoever changed the queue last: a thief's
// copy may be one operation stale until the owner's next push or pop writes it again. What the
// ring saved against the Deque behind a lock it replaced: Performance.md, "The local run queue".

import RunvizTelemetry
import Synchronization

final class RunQueue: @unchecked Sendable {
    static let capacity: UInt32 = 1024
    private static let mask: UInt32 = capacity - 1

    /// Where a pushed job went, and how many jobs were ahead of it there.
    enum Placement: Equatable {
        case local(ahead: Int)
        /// The ring was full: its older half (`moved` jobs) went to the inject queue's back, and the
        /// job to the ring behind the newer half.
        case spilled(ahead: Int, moved: Int)
        /// The ring was full while a thief copied out of it: the job is at the inject queue's back.
        case injected(ahead: Int)
    }

    private let head = Atomic<UInt64>(0)
    private let tail = Atomic<UInt32>(0)
    /// `capacity` slots, each a ScheduledJob's bits (atomic, so a slot is never a data race).
    private let slots: UnsafeMutablePointer<Atomic<UInt>>
    private let metrics: WorkerMetrics

    init(metrics: WorkerMetrics) {
        self.metrics = metrics
        slots = .allocate(capacity: Int(Self.capacity))
        for i in 0..<Int(Self.capacity) { (slots + i).initialize(to: Atomic(0)) }
    }

    deinit {
        slots.deinitialize(count: Int(Self.capacity))
        slots.deallocate()
    }

    @inline(__always)
    private static func unpack(_ head: UInt64) -> (steal: UInt32, real: UInt32) {
        (UInt32(truncatingIfNeeded: head >> 32), UInt32(truncatingIfNeeded: head))
    }

    @inline(__always)
    private static func pack(steal: UInt32, real: UInt32) -> UInt64 { UInt64(steal) << 32 | UInt64(real) }

    @inline(__always)
    private func slot(_ index: UInt32) -> UnsafeMutablePointer<Atomic<UInt>> { slots + Int(index & Self.mask) }

    /// Appends a job (owner only); on a full ring the older half and this job go to `overflow`.
    @inline(__always)
    func push(_ job: ScheduledJob, overflow: InjectQueue) -> Placement {
        let back = tail.load(ordering: .relaxed)
        while true {
            let (steal, real) = Self.unpack(head.load(ordering: .acquiring))
            if back &- steal < Self.capacity {
                slot(back).pointee.store(job.bits, ordering: .relaxed)
                tail.store(back &+ 1, ordering: .sequentiallyConsistent)
                let ahead = back &- real
                metrics.setLocalQueueDepth(Int(ahead) + 1)
                return .local(ahead: Int(ahead))
            }
            if steal != real {
                // A thief is copying out: room comes back soon; this one job goes to the inject queue.
                return withUnsafeTemporaryAllocation(of: ScheduledJob.self, capacity: 1) { one in
                    one.initializeElement(at: 0, to: job)
                    return .injected(ahead: overflow.push(overflowing: UnsafeBufferPointer(one)))
                }
            }
            if spill(real: real, into: overflow) {
                // Room for half a ring now, and no thief can have taken it: only the owner pushes.
                let (_, left) = Self.unpack(head.load(ordering: .acquiring))
                slot(back).pointee.store(job.bits, ordering: .relaxed)
                tail.store(back &+ 1, ordering: .sequentiallyConsistent)
                let ahead = back &- left
                metrics.setLocalQueueDepth(Int(ahead) + 1)
                return .spilled(ahead: Int(ahead), moved: Int(Self.capacity / 2))
            }
            // A thief took some jobs between the load and the CAS: there may be room now.
        }
    }

    /// Moves the older half of a full ring to the inject queue; false when a thief got in first.
    private func spill(real: UInt32, into overflow: InjectQueue) -> Bool {
        let half = Self.capacity / 2
        let next = real &+ half
        guard
            head.compareExchange(
                expected: Self.pack(steal: real, real: real), desired: Self.pack(steal: next, real: next),
                ordering: .acquiringAndReleasing
            ).exchanged
        else { return false }
        withUnsafeTemporaryAllocation(of: ScheduledJob.self, capacity: Int(half)) { batch in
            for i in 0..<half {
                batch.initializeElement(
                    at: Int(i), to: ScheduledJob(bits: slot(real &+ i).pointee.load(ordering: .relaxed)))
            }
            _ = overflow.push(overflowing: UnsafeBufferPointer(batch))
        }
        return true
    }

    /// The oldest job (owner only).
    @inline(__always)
    func pop() -> ScheduledJob? {
        var packed = head.load(ordering: .acquiring)
        let back = tail.load(ordering: .acquiring)
        while true {
            let (steal, real) = Self.unpack(packed)
            if real == back {
                if metrics.localQueueDepth != 0 { metrics.setLocalQueueDepth(0) }
                return nil
            }
            let next = real &+ 1
            // With no thief copying, steal moves along with real.
            let desired = Self.pack(steal: steal == real ? next : steal, real: next)
            let (exchanged, actual) = head.compareExchange(
                expected: packed, desired: desired, ordering: .acquiringAndReleasing)
            if exchanged {
                // Ours now: no thief reads below real, and only the owner writes slots.
                let job = ScheduledJob(bits: slot(real).pointee.load(ordering: .relaxed))
                metrics.setLocalQueueDepth(Int(back &- next))
                return job
            }
            packed = actual
        }
    }

    /// Moves the older half (rounded up) of this queue to `thief`, the queue of the worker calling:
    /// the first of those jobs is returned to run now, the rest are on `thief` in order. nil: nothing
    /// taken (empty, another thief at work, or no room on `thief`).
    func stealHalf(into thief: RunQueue) -> (job: ScheduledJob, count: Int)? {
        let back = thief.tail.load(ordering: .relaxed)
        let (thiefSteal, _) = Self.unpack(thief.head.load(ordering: .acquiring))
        if back &- thiefSteal > Self.capacity / 2 { return nil }
        guard let taken = claim(all: false) else { return nil }
        let job = ScheduledJob(bits: slot(taken.first).pointee.load(ordering: .relaxed))
        for i in 1..<taken.count {
            let bits = slot(taken.first &+ i).pointee.load(ordering: .relaxed)
            thief.slot(back &+ i &- 1).pointee.store(bits, ordering: .relaxed)
        }
        finishClaim(taken.packed)
        if taken.count > 1 {
            thief.tail.store(back &+ taken.count &- 1, ordering: .sequentiallyConsistent)
            thief.metrics.setLocalQueueDepth(thief.count)
        }
        metrics.setLocalQueueDepth(count)
        return (job, Int(taken.count))
    }

    /// Takes every job, in order, for shutdown. Safe beside an owner still running its last job (a
    /// worker past the shutdown deadline): the jobs are claimed as a thief claims them.
    func takeAll() -> [ScheduledJob] {
        var all: [ScheduledJob] = []
        while let taken = claim(all: true) {
            for i in 0..<taken.count {
                all.append(ScheduledJob(bits: slot(taken.first &+ i).pointee.load(ordering: .relaxed)))
            }
            finishClaim(taken.packed)
        }
        metrics.setLocalQueueDepth(count)
        return all
    }

    /// Claims the older half (rounded up) or all of the jobs for copying out: real moves past them,
    /// steal stays, so the owner cannot reuse their slots until `finishClaim`. nil: none to take;
    /// waits out another thief only when taking all.
    private func claim(all: Bool) -> (first: UInt32, count: UInt32, packed: UInt64)? {
        var packed = head.load(ordering: .acquiring)
        while true {
            let (steal, real) = Self.unpack(packed)
            if steal != real {
                if !all { return nil }
                packed = head.load(ordering: .acquiring)
                continue
            }
            // Loaded after head: never behind real.
            let available = tail.load(ordering: .acquiring) &- real
            let n = all ? min(available, Self.capacity) : available - available / 2
            if n == 0 { return nil }
            let desired = Self.pack(steal: steal, real: real &+ n)
            let (exchanged, actual) = head.compareExchange(
                expected: packed, desired: desired, ordering: .acquiringAndReleasing)
            if exchanged { return (real, n, desired) }
            packed = actual
        }
    }

    /// Done copying: steal catches up with real (which the owner may have moved on meanwhile).
    private func finishClaim(_ claimed: UInt64) {
        var packed = claimed
        while true {
            let (_, real) = Self.unpack(packed)
            let (exchanged, actual) = head.compareExchange(
                expected: packed, desired: Self.pack(steal: real, real: real), ordering: .acquiringAndReleasing)
            if exchanged { return }
            packed = actual
        }
    }

    /// Jobs in the ring, not counting any a thief is copying out.
    var count: Int {
        let (_, real) = Self.unpack(head.load(ordering: .sequentiallyConsistent))
        // Loaded after head: never behind real; at most a full ring.
        return Int(min(tail.load(ordering: .sequentiallyConsistent) &- real, Self.capacity))
    }
}
