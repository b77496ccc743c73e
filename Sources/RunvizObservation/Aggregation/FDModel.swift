// The epoll interest list as the events describe it: an fd exists from `fdRegistered` to
// `fdDeregistered`; a task parking on it leaves read or write interest (its waker) with the reactor;
// readiness that wakes a task consumes the interest it satisfied (the reactor is edge-triggered and
// wakes each waiter once). Readiness on an fd the model does not know changes nothing.

import RunvizTelemetry

struct FDModel: Equatable {
    private(set) var records = IDTable<FDRecord>()

    /// The table key of an fd (any Int32, as a recording may hold).
    @inline(__always)
    static func key(_ fd: Int32) -> UInt64 { UInt64(UInt32(bitPattern: fd)) }

    var count: Int { records.count }

    func contains(_ fd: Int32) -> Bool { records.contains(Self.key(fd)) }

    /// What the kernel last reported for `fd` (empty: unknown fd or never ready).
    func readiness(of fd: Int32) -> Interest { records[Self.key(fd)]?.lastReadiness ?? [] }

    mutating func registered(_ fd: Int32, owner: UInt64) {
        records[Self.key(fd)] = FDRecord(fd: fd, interest: [], owner: owner)
    }

    mutating func deregistered(_ fd: Int32) { records.removeValue(forKey: Self.key(fd)) }

    /// A task parked on `fd` for `interest`: the reactor now holds its waker.
    mutating func interestLeft(on fd: Int32, _ interest: Interest, by owner: UInt64) {
        records.modify(Self.key(fd)) { r in
            r.interest.formUnion(interest)
            r.owner = owner
        }
    }

    /// The kernel reported `readiness` on `fd`; `wokeTask` when a waiting task was woken by it.
    /// False when the fd is not known.
    @discardableResult
    mutating func ready(_ fd: Int32, _ readiness: Interest, wokeTask: Bool, at time: UInt64) -> Bool {
        records.modify(Self.key(fd)) { r in
            r.timesReady &+= 1
            r.lastReady = time
            r.lastReadiness = readiness
            guard wokeTask else { return }
            if readiness.contains(.read) || readiness.contains(.hangup) { r.interest.remove(.read) }
            if readiness.contains(.write) || readiness.contains(.hangup) { r.interest.remove(.write) }
        } != nil
    }

    /// Gives back the table slots a burst of connections left behind.
    mutating func shrinkIfSparse() { records.shrinkIfSparse() }

    /// The interest list ordered by fd, each owner named by `ownerName`.
    func list(ownerName: (UInt64) -> String) -> [FDSnapshot] {
        records.allValues.sorted { $0.fd < $1.fd }.map { f in
            FDSnapshot(
                fd: f.fd, interest: f.interest, owner: TaskID(f.owner), ownerName: ownerName(f.owner),
                timesReady: f.timesReady, lastReady: f.lastReady, lastReadiness: f.lastReadiness)
        }
    }
}
