// TimerWheel: a hashed timing wheel of 1,024 one-millisecond buckets holding client slots (rate timers,
// reconnect back-off, slow-reader ticks). The lists are intrusive, doubly linked through the Connection
// records, so scheduling and cancelling are O(1) and allocate nothing.
//
// A bucket only groups timers; each keeps its exact due time, expire() fires exactly those due, and
// nextDueNs() returns the exact earliest one, so how late a timer fires is up to how precisely the caller
// sleeps until then (LoadWorker: to the nanosecond, give or take the kernel's timer slack).
//
// Invariants: a slot is in at most one bucket (Connection.timerArmed); a timer fires no earlier than its
// due time. Timers further than one lap (1.024 s) ahead stay in their bucket until a pass finds them due.

/// Timers for client slots, stored in the slots' Connection records.
struct TimerWheel {
    static let bucketCount = 1_024
    static let tickNs: UInt64 = 1_000_000
    private static let mask = UInt64(bucketCount - 1)

    private let heads: UnsafeMutablePointer<Int32>
    /// Every tick up to and including this one has been fully expired.
    private var expiredTick: UInt64
    private(set) var count = 0

    init(nowNs: UInt64) {
        heads = .allocate(capacity: TimerWheel.bucketCount)
        heads.initialize(repeating: -1, count: TimerWheel.bucketCount)
        expiredTick = nowNs / TimerWheel.tickNs &- 1
    }

    func deallocate() {
        heads.deallocate()
    }

    mutating func schedule(_ slot: Int32, dueNs: UInt64, in conns: UnsafeMutablePointer<Connection>) {
        if conns[Int(slot)].timerArmed { cancel(slot, in: conns) }
        var tick = dueNs / TimerWheel.tickNs
        if tick <= expiredTick { tick = expiredTick + 1 }
        let bucket = Int32(truncatingIfNeeded: tick & TimerWheel.mask)
        let head = heads[Int(bucket)]
        conns[Int(slot)].timerArmed = true
        conns[Int(slot)].timerDueNs = dueNs
        conns[Int(slot)].timerBucket = bucket
        conns[Int(slot)].timerPrev = -1
        conns[Int(slot)].timerNext = head
        if head >= 0 { conns[Int(head)].timerPrev = slot }
        heads[Int(bucket)] = slot
        count += 1
    }

    mutating func cancel(_ slot: Int32, in conns: UnsafeMutablePointer<Connection>) {
        guard conns[Int(slot)].timerArmed else { return }
        let prev = conns[Int(slot)].timerPrev
        let next = conns[Int(slot)].timerNext
        if prev >= 0 {
            conns[Int(prev)].timerNext = next
        } else {
            heads[Int(conns[Int(slot)].timerBucket)] = next
        }
        if next >= 0 { conns[Int(next)].timerPrev = prev }
        conns[Int(slot)].timerArmed = false
        conns[Int(slot)].timerPrev = -1
        conns[Int(slot)].timerNext = -1
        count -= 1
    }

    /// Unlinks every timer due at `nowNs` and returns them as a list linked through `timerNext` (-1 ends it).
    mutating func expire(nowNs: UInt64, in conns: UnsafeMutablePointer<Connection>) -> Int32 {
        guard count > 0 else {
            expiredTick = max(expiredTick, nowNs / TimerWheel.tickNs &- 1)
            return -1
        }
        var due: Int32 = -1
        let nowTick = nowNs / TimerWheel.tickNs
        // Whole ticks before the current one: every entry whose due time has passed leaves its bucket.
        let passes = min(nowTick &- expiredTick, UInt64(TimerWheel.bucketCount))
        var tick = nowTick &- passes &+ 1
        while tick <= nowTick {
            collect(bucket: Int(tick & TimerWheel.mask), nowNs: nowNs, into: &due, conns)
            tick += 1
        }
        expiredTick = nowTick &- 1
        return due
    }

    private mutating func collect(
        bucket: Int, nowNs: UInt64, into due: inout Int32, _ conns: UnsafeMutablePointer<Connection>
    ) {
        var slot = heads[bucket]
        while slot >= 0 {
            let next = conns[Int(slot)].timerNext
            if conns[Int(slot)].timerDueNs <= nowNs {
                cancel(slot, in: conns)
                conns[Int(slot)].timerNext = due
                due = slot
            }
            slot = next
        }
    }

    /// The earliest due time within the coming lap (nil when there are no timers): the first bucket that
    /// holds a timer of this lap decides; its (short) list is walked for the exact time.
    func nextDueNs(after nowNs: UInt64, in conns: UnsafeMutablePointer<Connection>) -> UInt64? {
        guard count > 0 else { return nil }
        let nowTick = nowNs / TimerWheel.tickNs
        for step in 0..<UInt64(TimerWheel.bucketCount) {
            let tick = nowTick + step
            let lapEnd = (tick + 1) * TimerWheel.tickNs
            var earliest = UInt64.max
            var slot = heads[Int(tick & TimerWheel.mask)]
            while slot >= 0 {
                earliest = min(earliest, conns[Int(slot)].timerDueNs)
                slot = conns[Int(slot)].timerNext
            }
            if earliest < lapEnd { return max(earliest, nowNs) }
        }
        return nowNs + UInt64(TimerWheel.bucketCount) * TimerWheel.tickNs
    }
}
