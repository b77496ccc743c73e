// A dashboard Command as the bytes a viewer sends in a command frame: a u8 code by an explicit
// table (never a Swift declaration order), then the case's fields, little-endian. Decoding never
// trusts the bytes: an unknown code, a short or long payload, a bad boolean or a count out of
// range is nil, never a trap, so a fuzzed peer cannot crash the endpoint.

import RunvizObservation
import RunvizTelemetry

extension Command {
    /// The largest count a command may carry (tasks to spawn, clients to add or remove).
    static let maxWireCount = 100_000

    public var wireBytes: [UInt8] {
        var w: [UInt8] = []
        switch self {
        case .spawnTasks(let count): Self.put(1, count: count, into: &w)
        case .blockWorker: w = [2]
        case .blockOnPool: w = [3]
        case .addClients(let n): Self.put(4, count: n, into: &w)
        case .removeClients(let n): Self.put(5, count: n, into: &w)
        case .joinDemo: w = [6]
        case .lockDemo(let blocking): w = [7, blocking ? 1 : 0]
        case .channelDemo: w = [8]
        case .toggleServerMode: w = [9]
        case .lazyDemo: w = [10]
        case .follow(let task):
            w = [11]
            if let task {
                w.append(1)
                for i in 0..<8 { w.append(UInt8(truncatingIfNeeded: task.raw >> UInt64(8 * i))) }
            } else {
                w.append(0)
            }
        case .toggleInstrumentation: w = [12]
        }
        return w
    }

    private static func put(_ code: UInt8, count: Int, into w: inout [UInt8]) {
        w = [code]
        WireFormat.le32(UInt32(clamping: max(0, min(count, maxWireCount))), into: &w)
    }

    /// The command `bytes` encode (nil: not one this side knows, or malformed).
    public init?(wireBytes bytes: [UInt8]) {
        guard let code = bytes.first else { return nil }
        let body = bytes.count - 1
        func count() -> Int? {
            guard body == 4 else { return nil }
            let n = Int(WireFormat.read32(bytes, at: 1))
            return n <= Command.maxWireCount ? n : nil
        }
        switch code {
        case 1:
            guard let n = count() else { return nil }
            self = .spawnTasks(count: n)
        case 2 where body == 0: self = .blockWorker
        case 3 where body == 0: self = .blockOnPool
        case 4:
            guard let n = count() else { return nil }
            self = .addClients(n)
        case 5:
            guard let n = count() else { return nil }
            self = .removeClients(n)
        case 6 where body == 0: self = .joinDemo
        case 7 where body == 1 && bytes[1] <= 1: self = .lockDemo(blocking: bytes[1] == 1)
        case 8 where body == 0: self = .channelDemo
        case 9 where body == 0: self = .toggleServerMode
        case 10 where body == 0: self = .lazyDemo
        case 11 where body == 1 && bytes[1] == 0: self = .follow(nil)
        case 11 where body == 9 && bytes[1] == 1:
            var raw: UInt64 = 0
            for i in 0..<8 { raw |= UInt64(bytes[2 + i]) << UInt64(8 * i) }
            self = .follow(TaskID(raw))
        case 12 where body == 0: self = .toggleInstrumentation
        default: return nil
        }
    }
}
