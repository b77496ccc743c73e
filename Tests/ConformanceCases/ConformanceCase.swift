// One case of the conformance suite: an ordinary Swift concurrency program that prints lines whose
// content the language guarantees (results, orders that are fixed, counts; never timings or thread
// names), so its output on Swift's default executor and on runviz installed as the global executor
// must be equal line for line.
//
// Invariants of every case: its `line`s are printed from points whose order is fixed by the program
// (never from two tasks racing); each place where its own nonisolated code runs on the global
// executor is noted with `onGlobal` (runviz's helper then checks that thread was a runviz worker);
// `completedSleeps` is the number of sleeps that run to their deadline (runviz's helper checks its
// timer heap fired at least that many).

import RunvizLock

public struct ConformanceCase: Sendable {
    public let name: String
    public let completedSleeps: Int
    let body: @Sendable (Trace) async -> Void

    init(_ name: String, completedSleeps: Int = 0, _ body: @escaping @Sendable (Trace) async -> Void) {
        self.name = name
        self.completedSleeps = completedSleeps
        self.body = body
    }
}

/// What a case prints and where its code ran.
public final class Trace: Sendable {
    private let observed = Lock<[(label: String, thread: String)]>([])

    /// Prints one compared line at once (a hang then shows how far the case got).
    public func line(_ text: String) { Output.print(text) }

    /// Notes the thread running the caller: code that Swift runs on its global executor.
    public func onGlobal(_ label: String) {
        let thread = currentThreadName()
        observed.withLock { $0.append((label, thread)) }
    }

    /// Every `onGlobal` so far, in the order they were noted.
    public var observations: [(label: String, thread: String)] { observed.withLock { $0 } }
}
