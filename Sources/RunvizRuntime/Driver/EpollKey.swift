// The user data the driver attaches to each fd it registers with epoll (SwiftNIO's EPollUserData):
// the fd and the registration's generation, packed into epoll's 64-bit data word (generation in the
// high half, fd in the low half).
//
// Why a generation: the kernel hands a closed fd's number to the next socket at once. A worker that
// has read a batch from epoll_wait may still hold an event for the old fd when another thread has
// closed it and registered a new socket under the same number. Keyed by fd alone, that stale event
// would wake the new registration's tasks; keyed by fd and generation, it no longer matches the
// table's entry and the driver drops it.

struct EpollKey: Hashable, Sendable {
    let fd: Int32
    let generation: UInt32

    init(fd: Int32, generation: UInt32) {
        self.fd = fd
        self.generation = generation
    }

    init(rawValue: UInt64) {
        fd = Int32(bitPattern: UInt32(truncatingIfNeeded: rawValue))
        generation = UInt32(truncatingIfNeeded: rawValue >> 32)
    }

    var rawValue: UInt64 { UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd)) }

    /// The key of the driver's eventfd: fd -1, which no registration can have.
    static let wake = EpollKey(rawValue: .max)
}
