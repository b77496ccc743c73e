// Names of task code, from the executable's symbols: an entry-point address → its short name
// (TaskCodeName). Indexing the symbol table takes milliseconds (ExecutableSymbols sorts every
// function symbol: Examples/hummingbird-app's 48,582 in 2.7 to 4.9 ms, three runs, from its open of
// /proc/self/exe to its thread's exit under `strace -f -tt`), so it runs once, on a thread of its
// own, started by the first task sighted with events on (unless the scheduler names tasks by kind:
// `Scheduler.namesTaskCode`); until it is ready, and forever when the executable has no symbol
// table, `name(entry:)` answers nil and tasks keep their kind name. Workers ask only after
// `isReady()` and cache what they got (Worker+TaskNames.swift), so a worker never waits for the
// index and asks once per address.
//
// Invariant: `symbols` is written once, by the indexing thread, before `phase` becomes `ready` with a
// release store; readers load `phase` with acquire before touching it.

import Glibc
import RunvizSystem
import Synchronization

final class CodeNames: @unchecked Sendable {
    static let shared = CodeNames()

    init() {}

    deinit { segmentBounds.deallocate() }

    private enum Phase: Int {
        case idle, indexing, ready, unavailable
    }
    private let phase = Atomic<Int>(Phase.idle.rawValue)
    private nonisolated(unsafe) var symbols: ExecutableSymbols?
    /// How long the indexing took (ns) and how many function symbols it kept: for probes and notes.
    private(set) nonisolated(unsafe) var indexNanos: UInt64 = 0
    /// The executable's loaded segments as bare bounds, lowers then uppers, written with `symbols`:
    /// `isMapped` runs per sighting and touches no array (no retain, no bounds check).
    private nonisolated(unsafe) var segmentBounds = UnsafeMutablePointer<UInt>.allocate(capacity: 0)
    private nonisolated(unsafe) var segmentCount = 0

    /// Whether names can be looked up; the first call starts the indexing thread.
    @inline(__always)
    func isReady() -> Bool {
        let now = phase.load(ordering: .acquiring)
        if now == Phase.ready.rawValue { return true }
        if now == Phase.idle.rawValue { startIndexing() }
        return false
    }

    /// The function symbols indexed (0 until ready, or when there are none).
    var symbolCount: Int { phase.load(ordering: .acquiring) == Phase.ready.rawValue ? symbols!.functions.count : 0 }

    /// Whether indexing has ended, with or without symbols.
    var isSettled: Bool { phase.load(ordering: .acquiring) >= Phase.ready.rawValue }

    private func startIndexing() {
        guard
            phase.compareExchange(
                expected: Phase.idle.rawValue, desired: Phase.indexing.rawValue, ordering: .relaxed
            ).exchanged
        else { return }
        do {
            try OSThread.startDetached(name: "runviz-symbols") { self.index() }
        } catch {
            phase.store(Phase.unavailable.rawValue, ordering: .releasing)
        }
    }

    /// Indexes the executable's symbols (here: on the indexing thread; in tests, directly).
    func index(path: String = "/proc/self/exe") {
        let start = Runtime.now
        symbols = ExecutableSymbols.read(path: path)
        if let segments = symbols?.segments {
            // Kept for the life of the process, as the index is; the empty one before it is freed
            // (no reader touches either before `ready`).
            let bounds = UnsafeMutablePointer<UInt>.allocate(capacity: 2 * segments.count)
            segmentBounds.deallocate()
            segmentBounds = bounds
            for (index, segment) in segments.enumerated() {
                segmentBounds[index] = segment.lowerBound
                segmentBounds[segments.count + index] = segment.upperBound
            }
            segmentCount = segments.count
        }
        indexNanos = Runtime.now - start
        phase.store((symbols == nil ? Phase.unavailable : Phase.ready).rawValue, ordering: .releasing)
    }

    /// What the code at an address is, to a person reading task names.
    enum Code: Equatable {
        /// User code, by its short name (TaskCodeName).
        case named(String)
        /// A thunk that forwards to a closure it captured: name that closure instead.
        case forwarder
        /// No symbol there, or none a person would read.
        case unnamed
    }

    /// The code at `address` (`exactly`: only a function that starts there). Only after `isReady()`:
    /// a demangling and a few allocations, once per address per worker.
    func code(at address: UInt, exactly: Bool = false) -> Code {
        guard let symbol = symbols?.name(containing: address, exactly: exactly),
            let demangled = SwiftRuntime.demangle(symbol)
        else { return .unnamed }
        if TaskCodeName.isForwardingThunk(demangled) { return .forwarder }
        return TaskCodeName.short(demangled).map(Code.named) ?? .unnamed
    }

    /// Whether a word at `address` lies in the executable's loaded image. Only after `isReady()`.
    @inline(__always)
    func isMapped(_ address: UInt) -> Bool {
        for index in 0..<segmentCount
        where segmentBounds[index] <= address && address < segmentBounds[segmentCount + index] &- 8 {
            return true
        }
        return false
    }
}
