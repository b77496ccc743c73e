// The driver's fd → Registration table, an array indexed by fd number (the kernel hands out the
// lowest free numbers, so it stays dense). A slot holds the live registration of its fd. An event
// finds a registration only when its key matches in fd and generation (see EpollKey): an event for
// a closed fd, or for an earlier holder of a reused number, finds nothing. The driver keeps the
// table behind its lock.

struct RegistrationTable {
    private var slots: [Registration?] = []

    /// Makes `registration` the entry of its fd, replacing any earlier one.
    mutating func insert(_ registration: Registration) {
        let i = Int(registration.fd)
        if i >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: max(i + 1 - slots.count, slots.count)))
        }
        slots[i] = registration
    }

    /// Empties the slot of `registration` if it still holds it (a newer registration stays).
    mutating func remove(_ registration: Registration) {
        let i = Int(registration.fd)
        if i < slots.count, slots[i] === registration { slots[i] = nil }
    }

    /// The registration `key` names, or nil when the key is stale.
    func registration(for key: EpollKey) -> Registration? {
        let i = Int(key.fd)
        guard i >= 0, i < slots.count, let registration = slots[i], registration.key == key else { return nil }
        return registration
    }
}
