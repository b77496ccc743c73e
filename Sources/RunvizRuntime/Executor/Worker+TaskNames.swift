// The name a worker gives a task runviz did not start and Swift did not name: the short name of its
// code (CodeNames, TaskCodeName), followed by its kind when it is a group child or an `async let`
// ("Shop.order(_:inventory:) closure · group child"); a task's own code comes first because a
// task-name cell clips the end. Each worker keeps the interned names it made in a small
// direct-mapped cache keyed by entry point and kind, so a task whose code was seen before costs a
// hash, two loads and a compare, without a lock; a miss (first sighting of that code on this worker)
// demangles the symbol and interns the name under the name table's lock.

extension Worker {
    /// Direct-mapped, 256 slots; a slot's key is the entry point shifted left 2 with the kind in the
    /// low bits (0: empty), its value the interned name (0: no name; the kind's name is used; `forwarder`: a thunk).
    struct CodeNameCache {
        static let slots = 256
        var keys = [UInt](repeating: 0, count: slots)
        var names = [UInt32](repeating: 0, count: slots)

        @inline(__always)
        /// The value of a forwarding thunk's entry: look at the closure it captured.
        static let forwarder = UInt32.max

        @inline(__always)
        static func slot(_ key: UInt) -> Int { Int(truncatingIfNeeded: (key >> 6) ^ (key >> 14)) & (slots - 1) }
    }

    /// The interned name of `job`'s code, or nil: no symbol index yet, no symbol, or one that names
    /// no user code. Read before its first run (TaskLayout.entryPoint). An entry point that is a
    /// forwarding thunk is looked through, to the closure captured in its context.
    @inline(__always)
    func codeName(_ job: UnownedJob, _ kind: TaskLayout.Kind, _ layout: TaskLayout) -> UInt32? {
        let names = scheduler.codeNames
        guard names.isReady() else { return nil }
        let entry = layout.entryPoint(of: job)
        guard entry != 0 else { return nil }
        let name = cachedCodeName(entry, kind, exactly: false, names)
        guard name == CodeNameCache.forwarder else { return name == 0 ? nil : name }
        return capturedCodeName(layout.closureContext(of: job), kind, names, depth: 4)
    }

    /// The name of the closure a forwarding thunk captured in `box`, looking through at most `depth`
    /// thunks (a function passed by name to `addTask` is wrapped in three).
    private func capturedCodeName(_ box: UnsafeRawPointer?, _ kind: TaskLayout.Kind, _ names: CodeNames, depth: Int)
        -> UInt32?
    {
        guard let box, depth > 0 else { return nil }
        return TaskLayout.capturedCode(in: box, isMapped: names.isMapped) { code, context in
            let name = cachedCodeName(code, kind, exactly: true, names)
            if name == CodeNameCache.forwarder { return capturedCodeName(context, kind, names, depth: depth - 1) }
            return name == 0 ? nil : name
        }
    }

    /// The cached name of the code at `address` for a task of `kind`; on a miss, resolved and cached.
    @inline(__always)
    private func cachedCodeName(_ address: UInt, _ kind: TaskLayout.Kind, exactly: Bool, _ names: CodeNames)
        -> UInt32
    {
        let key = address << 2 | UInt(kind.rawValue)
        let slot = CodeNameCache.slot(key)
        if codeNameCache.keys[slot] == key { return codeNameCache.names[slot] }
        let name: UInt32
        switch names.code(at: address, exactly: exactly) {
        case .named(let code):
            let text: String
            switch kind {
            case .task, .child: text = code
            case .groupChild: text = code + " · group child"
            case .asyncLetChild: text = code + " · async let"
            }
            name = scheduler.recorder.hub.names.intern(text)
        case .forwarder: name = CodeNameCache.forwarder
        case .unnamed: name = 0
        }
        codeNameCache.keys[slot] = key
        codeNameCache.names[slot] = name
        return name
    }
}
