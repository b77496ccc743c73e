// The suite and its runner. A helper program calls `Conformance.run` from its async main, in one of
// two modes: on Swift's default executor, or with runviz installed as the global executor. For each
// case it prints a header `== <name>`, then the case's compared lines, then, through the mode's
// `afterCase`, lines of its own that start with `[runviz]` (not compared: checks only one mode can
// make). A case that does not finish within `caseLimit` prints `!! timeout` and ends the process
// with status 2, so a hang names its case.
//
// The main queue: both helpers have an async main, so Swift ends the main function in
// `dispatch_main`, and Dispatch drains its main queue, which runs @MainActor jobs and
// `DispatchQueue.main` blocks (on Linux, on a thread of Dispatch's, not the main thread). The
// runner runs on the main actor, and each case's body, nonisolated, on the global executor.

import CRunvizLinux
import Dispatch
import Glibc
import RunvizLock
import Synchronization

public enum Conformance {
    public static let cases: [ConformanceCase] =
        taskGroupCases + asyncLetCases + cancellationHandlerCases + taskLocalCases + priorityCases + actorCases
        + continuationCases + asyncStreamCases + sleepCases + executorPreferenceCases + yieldCases
        + mainActorCases

    /// Prints a whole line at once, flushed (for a helper's own lines between a case's).
    public static func print(_ text: String) { Output.print(text) }

    /// How long one case may take before the process reports it hung (sanitizer builds included).
    static let caseLimit: Int64 = 60_000_000_000

    /// Runs the cases named in `selection` (all when empty) in the suite's order; `beforeCase`
    /// and `afterCase` frame each (runviz's helper reads its counters there). Ends with `== end`.
    @MainActor
    public static func run(
        _ selection: [String],
        beforeCase: (ConformanceCase) -> Void = { _ in },
        afterCase: (ConformanceCase, Trace) async -> Void = { _, _ in }
    ) async {
        let chosen = selection.isEmpty ? cases : cases.filter { selection.contains($0.name) }
        if chosen.count != Set(selection).count && !selection.isEmpty {
            Output.print("!! unknown case in \(selection)")
            exit(64)
        }
        DispatchQueue.main.setSpecific(key: mainQueueKey, value: true)
        Watchdog.start()
        for conformanceCase in chosen {
            Output.print("== \(conformanceCase.name)")
            Watchdog.arm(conformanceCase.name)
            beforeCase(conformanceCase)
            let trace = Trace()
            await conformanceCase.body(trace)
            await afterCase(conformanceCase, trace)
            Watchdog.disarm()
        }
        Output.print("== end")
    }
}

/// A thread of its own that ends the process when the running case outlives `caseLimit`.
enum Watchdog {
    private static let deadline = Atomic<Int64>(0)
    private static let current = Lock<String>("")

    static func arm(_ name: String) {
        current.withLock { $0 = name }
        deadline.store(now() + Conformance.caseLimit, ordering: .releasing)
    }

    static func disarm() { deadline.store(0, ordering: .releasing) }

    static func start() {
        startThread(named: "conf-watchdog") {
            while true {
                usleep(100_000)
                let due = deadline.load(ordering: .acquiring)
                if due != 0 && now() > due {
                    Output.print("!! timeout in \(current.withLock { $0 })")
                    exit(2)
                }
            }
        }
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
