// PayloadPattern: the bytes every client sends, computed rather than stored per connection.
//
// Byte i of message m of client c is table[(offset(c, m) + i) mod P], where the table holds P = 65,521
// (a prime) pseudo-random bytes, written twice so any run of up to P bytes is contiguous: send() and
// memcmp() work straight on the table. offset(c, m) = (40,009·c + 7,919·m) mod P, so two clients never
// share an offset at the same message number (for fewer than P clients), consecutive messages of a client
// always differ, and a byte delivered to the wrong connection or out of order fails the comparison.
// The table is read-only after init; each worker owns one (128 KiB) so it stays in that core's cache.

/// The shared, read-only payload table and the offset function.
struct PayloadPattern {
    static let period = 65_521

    let bytes: UnsafeMutablePointer<UInt8>

    init() {
        let period = PayloadPattern.period
        bytes = .allocate(capacity: 2 * period)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<period {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        (bytes + period).update(from: bytes, count: period)
    }

    func deallocate() {
        bytes.deallocate()
    }

    @inline(__always)
    static func offset(client: UInt32, message: UInt64) -> Int {
        Int((UInt64(client) &* 40_009 &+ (message % UInt64(period)) &* 7_919) % UInt64(period))
    }

    /// Where byte `index` of the client's message `message` starts; at least `period` bytes follow it.
    @inline(__always)
    func pointer(client: UInt32, message: UInt64, index: Int) -> UnsafeMutablePointer<UInt8> {
        bytes + (PayloadPattern.offset(client: client, message: message) + index % PayloadPattern.period)
            % PayloadPattern.period
    }
}
