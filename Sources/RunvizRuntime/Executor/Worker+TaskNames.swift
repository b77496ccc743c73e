// The name a worker gives a task runviz did not start and Swift did not name: the short name of its
// code (CodeNames, TaskCodeName), followed by its kind when it is a group child or an `async let`
// ("order(_:inventory:) closure · group child"); a task's own code comes first because a task-name
// cell clips the end. Most entry points are a thunk of the standard library's (TaskLayout.swift): the
// closure it captured is named instead.
//
// Cost: each worker keeps the names it made in a small direct-mapped cache keyed by code address and
// kind, so a task whose code was seen before costs loads and compares, no lock: about 200
// instructions a sighting, thunk included (callgrind, release GlobalExecutorProbe `sightings 1000`
// against `sightings 3000`: `codeName` inclusive 5,105,992 and 5,953,504 Ir over 2,001 and 6,001
// calls). A miss (that code's first task on this worker) demangles the symbol and interns the name
// under the name table's lock, once.

extension Worker {
    /// Direct-mapped, 256 slots; a slot's key is the code address shifted left 2 with the kind in the
    /// low bits (0: empty), its value the interned name (0: no name, the kind's name is used;
    /// `forwarder`: a thunk, look at what it captured). Bare memory: a hit is loads, no bounds check.
    final class CodeNameCache {
        static let slots = 256
        /// The value of a forwarding thunk's entry: look at the closure it captured.
        static let forwarder = UInt32.max
        private let keys = UnsafeMutablePointer<UInt>.allocate(capacity: slots)
        private let names = UnsafeMutablePointer<UInt32>.allocate(capacity: slots)

        init() {
            keys.initialize(repeating: 0, count: Self.slots)
            names.initialize(repeating: 0, count: Self.slots)
        }

        deinit {
            keys.deallocate()
            names.deallocate()
        }

        @inline(__always)
        private static func slot(_ key: UInt) -> Int {
            Int(truncatingIfNeeded: (key >> 6) ^ (key >> 14)) & (slots - 1)
        }

        @inline(__always)
        func name(_ key: UInt) -> UInt32? {
            let slot = Self.slot(key)
            return keys[slot] == key ? names[slot] : nil
        }

        func store(_ name: UInt32, for key: UInt) {
            let slot = Self.slot(key)
            keys[slot] = key
            names[slot] = name
        }
    }

    /// The interned name of `job`'s code, or nil: naming by code is off (`Scheduler.namesTaskCode`),
    /// no symbol index yet, no symbol, or one that names no user code. Read before its first run
    /// (TaskLayout.entryPoint). An entry point that is a forwarding thunk is looked through, to the
    /// closure captured in its context.
    /// Out of line: it runs once per task, not per job, and callgrind can count it.
    @inline(never)
    func codeName(_ job: UnownedJob, _ kind: TaskLayout.Kind, _ layout: TaskLayout) -> UInt32? {
        let names = scheduler.codeNames
        guard scheduler.namesTaskCode.load(ordering: .relaxed), names.isReady() else { return nil }
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
        for index in TaskLayout.capturedWords {
            let pointer = TaskLayout.word(index, of: box)
            // Dereferenced only inside the executable's image; a code address is accepted only where a
            // function starts (`exactly`), so a word that is no function pointer names nothing.
            guard pointer & 3 == 0, names.isMapped(pointer) else { continue }
            let code = TaskLayout.function(ofAsyncFunctionPointer: pointer)
            let name = cachedCodeName(code, kind, exactly: true, names)
            if name == CodeNameCache.forwarder {
                let context = UnsafeRawPointer(bitPattern: TaskLayout.word(index + 1, of: box))
                if let inner = capturedCodeName(context, kind, names, depth: depth - 1) { return inner }
            } else if name != 0 {
                return name
            }
        }
        return nil
    }

    /// The cached name of the code at `address` for a task of `kind`; on a miss, resolved and cached.
    @inline(__always)
    private func cachedCodeName(_ address: UInt, _ kind: TaskLayout.Kind, exactly: Bool, _ names: CodeNames)
        -> UInt32
    {
        let key = address << 2 | UInt(kind.rawValue)
        if let name = codeNameCache.name(key) { return name }
        return resolveCodeName(address, kind, exactly: exactly, names, key: key)
    }

    /// A miss: demangles, shortens and interns (the name table's lock), then caches.
    @inline(never)
    private func resolveCodeName(
        _ address: UInt, _ kind: TaskLayout.Kind, exactly: Bool, _ names: CodeNames, key: UInt
    ) -> UInt32 {
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
        codeNameCache.store(name, for: key)
        return name
    }
}
