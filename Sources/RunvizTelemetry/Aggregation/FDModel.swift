// The epoll interest list as the events describe it: an fd exists from `fdRegistered` to
// `fdDeregistered`; a task parking on it leaves read or write interest (its waker) with the reactor;
// readiness that wakes a task consumes the interest it satisfied (the reactor is edge-triggered and
// wakes each waiter once). Readiness on an fd the model does not know changes nothing.

struct FDModel: Equatable {
    private(set) var records: [Int32: FDRecord] = [:]

    var count: Int { records.count }

    func contains(_ fd: Int32) -> Bool { records[fd] != nil }

    /// What the kernel last reported for `fd` (empty: unknown fd or never ready).
    func readiness(of fd: Int32) -> Interest { records[fd]?.lastReadiness ?? [] }

    mutating func registered(_ fd: Int32, owner: UInt64) {
        records[fd] = FDRecord(fd: fd, interest: [], owner: owner)
    }

    mutating func deregistered(_ fd: Int32) { records[fd] = nil }

    /// A task parked on `fd` for `interest`: the reactor now holds its waker.
    mutating func interestLeft(on fd: Int32, _ interest: Interest, by owner: UInt64) {
        guard records[fd] != nil else { return }
        records[fd]!.interest.formUnion(interest)
        records[fd]!.owner = owner
    }

    /// The kernel reported `readiness` on `fd`; `wokeTask` when a waiting task was woken by it.
    mutating func ready(_ fd: Int32, _ readiness: Interest, wokeTask: Bool, at time: UInt64) {
        guard records[fd] != nil else { return }
        records[fd]!.timesReady &+= 1
        records[fd]!.lastReady = time
        records[fd]!.lastReadiness = readiness
        guard wokeTask else { return }
        if readiness.contains(.read) || readiness.contains(.hangup) { records[fd]!.interest.remove(.read) }
        if readiness.contains(.write) || readiness.contains(.hangup) { records[fd]!.interest.remove(.write) }
    }

    /// The interest list ordered by fd, each owner named by `ownerName`.
    func list(ownerName: (UInt64) -> String) -> [FDSnapshot] {
        records.values.sorted { $0.fd < $1.fd }.map { f in
            FDSnapshot(
                fd: f.fd, interest: f.interest, owner: TaskID(f.owner), ownerName: ownerName(f.owner),
                timesReady: f.timesReady, lastReady: f.lastReady, lastReadiness: f.lastReadiness)
        }
    }
}
