// Task names, interned once at spawn so events carry a 32-bit number instead of a string.
// Interning takes a lock (spawn is not the per-job hot path); lookups by the aggregator too.

import RunvizLock

public final class NameTable: Sendable {
    fileprivate struct State {
        var names: [String] = [""]
        var ids: [String: UInt32] = ["": 0]
    }
    fileprivate let state = Lock(State())

    public init() {}

    public func intern(_ name: String) -> UInt32 {
        state.withLock { s in
            if let id = s.ids[name] { return id }
            let id = UInt32(s.names.count)
            s.names.append(name)
            s.ids[name] = id
            return id
        }
    }

    public func name(_ id: UInt32) -> String {
        state.withLock { s in Int(id) < s.names.count ? s.names[Int(id)] : "?" }
    }
}

extension NameTable {
    /// Every name, indexed by id: one lock for a whole snapshot instead of one per task.
    public func all() -> [String] { state.withLock { $0.names } }
}
