// Facts about `Runtime.installAsGlobalExecutor` and `blockOn` on the main thread, read from the
// GlobalExecutorProbe program (Tests/GlobalExecutorProbe): installing takes over a whole process
// for good, and the main thread is the probe's own, so each case is a run of the probe in a mode,
// and these tests assert on the `name: value` lines it prints. Installed, every kind of global job
// runs on a runviz worker (a thread named runviz-w…) and counts in the workers' runs; every sleep
// fires on runviz's timer heap; a task preferring `globalConcurrentExecutor` runs on runviz; an `async let`
// Fibonacci takes no more jobs than on Swift's default executor; a second install throws; jobs
// queued when the workers stop, and every job after shutdown, run on Swift's default executor; an
// `async main` installs it as well; `blockOn` on the main thread lets its task hop to @MainActor,
// with and without the install; a plain-Swift task is sighted at its first run with its name (its
// `Task(name:)`, else the short name of the code that created it, else — in a stripped executable —
// its kind) and parent, and its end is recorded; what a plain-Swift task waits on is read after each
// run (a continuation, with the thread that resumed it; another task; a task group; a busy actor;
// the main actor), and a task that ends on an actor (the main actor's, a default actor's) is seen to
// end.

import Foundation
import Testing

@Suite(.serialized) struct GlobalExecutorTests {
    /// One run of the probe with runviz installed, shared by the tests that read it.
    static let installed = Result { try run("installed") }

    /// The probe's lines by name, or nil when the probe has not been built.
    static func run(_ mode: String, probe: String? = locateProbe()) throws -> [String: String]? {
        guard let probe else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: probe)
        process.arguments = [mode]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(
            process.terminationStatus == 0, "GlobalExecutorProbe \(mode) exited \(process.terminationStatus):\n\(text)")
        var facts: [String: String] = [:]
        for line in text.split(separator: "\n") {
            // "name: value"; a task name may hold colons ("wait(_:_:) closure"), never a colon and a space.
            guard let colon = line.range(of: ": ") ?? line.range(of: ":", options: .backwards) else { continue }
            facts[String(line[..<colon.lowerBound])] = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        return facts
    }

    /// Beside the test bundle (the build's products folder), else under the repository's .build*/debug.
    static func locateProbe() -> String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(
                URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("GlobalExecutorProbe").path
            )
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        if let all = try? FileManager.default.contentsOfDirectory(atPath: root.path) {
            candidates += all.filter { $0.hasPrefix(".build") }.sorted().map {
                root.appendingPathComponent("\($0)/debug/GlobalExecutorProbe").path
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let notBuilt = "GlobalExecutorProbe not built: `swift build --product GlobalExecutorProbe`"

    /// "runviz-w1 jobs=3" → ("runviz-w1", 3).
    static func threadAndJobs(_ value: String?) -> (thread: String, jobs: Int)? {
        guard let value, let space = value.lastIndex(of: " "), value[space...].hasPrefix(" jobs=") else { return nil }
        guard let jobs = Int(value[value.index(space, offsetBy: 6)...]) else { return nil }
        return (String(value[..<space]), jobs)
    }

    @Test func everyKindOfGlobalJobRunsOnRunvizWorkers() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        #expect(facts["install"] == "ok")
        for name in ["Task", "Task.detached", "async let", "actor", "foreign continuation"] {
            let seen = try #require(Self.threadAndJobs(facts[name]), "\(name): \(facts[name] ?? "missing")")
            #expect(seen.thread.hasPrefix("runviz-w"), "\(name) ran on \(seen.thread)")
            #expect(seen.jobs >= 1, "\(name): the workers counted no job")
        }
        let group = try #require(Self.threadAndJobs(facts["task group"]))
        for thread in group.thread.split(separator: ",") {
            #expect(thread.hasPrefix("runviz-w"), "a child ran on \(thread)")
        }
        #expect(group.jobs >= 9, "8 children and their parent: \(group.jobs) jobs")
    }

    /// A task runviz did not start is sighted at its first run, as `spawned` with its `Task(name:)`
    /// name or its kind and its parent, and ends with `completed` after which it never runs: read
    /// from the events of a plain-Swift program (the probe's `lifecycle`), and counted in
    /// RuntimeMetrics' tasks spawned and finished.
    @Test func aPlainSwiftTaskIsSightedNamedAndEnds() throws {
        let facts = try #require(try Self.run("lifecycle"), Comment(rawValue: Self.notBuilt))
        #expect(facts["install"] == "ok")
        #expect(facts["lifecycle value"] == "8")
        #expect(facts["lifecycle code index"] == "symbols")
        let once = "spawned=1 completed=1 runsAfterEnd=0"
        #expect(facts["lifecycle checkout"] == "parent=none \(once)")
        // Unnamed tasks by the code that created them: `plain` (the second closure in the scenario's
        // closure), the probe's own detached task that waits for the scenario, `checkout`'s `async let`
        // and its group children (the function `nap`, passed by name through three thunks).
        #expect(facts["lifecycle lifecycle() closure #2"] == "parent=none \(once)")
        #expect(facts["lifecycle wait(_:_:) closure"] == "parent=none \(once)")
        #expect(facts["lifecycle lifecycle() closure · async let"] == "parent=checkout \(once)")
        #expect(facts["lifecycle nap() · group child"] == "parent=checkout \(once) | parent=checkout \(once)")
        // A generic, throwing method's `Task.detached` and its group children (closures in a closure).
        #expect(facts["lifecycle Inventory.restock(_:from:) closure"] == "parent=none \(once)")
        #expect(
            facts["lifecycle Inventory.restock(_:from:) closure · group child"]
                == "parent=wait(_:_:) closure \(once) | parent=wait(_:_:) closure \(once)")
        #expect(facts["lifecycle Task {}"] == nil)
        // `spawn`'s task, by the name and parent its spawn recorded, not sighted again at its first run.
        #expect(facts["lifecycle spawned"] == "parent=wait(_:_:) closure \(once)")
        #expect(facts["lifecycle ended unseen"] == "0")
        #expect(facts["lifecycle dropped"] == "0")
    }

    /// An executable without a symbol table (stripped) names its unnamed tasks by their kind.
    @Test func aStrippedProgramNamesTasksByTheirKind() throws {
        let probe = try #require(Self.locateProbe(), Comment(rawValue: Self.notBuilt))
        let stripped = FileManager.default.temporaryDirectory.appendingPathComponent(
            "GlobalExecutorProbe-stripped-\(getpid())")
        defer { try? FileManager.default.removeItem(at: stripped) }
        try? FileManager.default.removeItem(at: stripped)
        try FileManager.default.copyItem(atPath: probe, toPath: stripped.path)
        let strip = Process()
        strip.executableURL = URL(fileURLWithPath: "/usr/bin/strip")
        strip.arguments = [stripped.path]
        try strip.run()
        strip.waitUntilExit()
        try #require(strip.terminationStatus == 0, "strip failed")
        let facts = try #require(try Self.run("lifecycle", probe: stripped.path))
        #expect(facts["lifecycle code index"] == "none")
        #expect(facts["lifecycle value"] == "8")
        let once = "spawned=1 completed=1 runsAfterEnd=0"
        #expect(facts["lifecycle checkout"] == "parent=none \(once)")
        #expect(facts["lifecycle async let"] == "parent=checkout \(once)")
        // `plain`, the detached task of `restock` and the probe's own detached task.
        #expect(facts["lifecycle Task {}"] == "parent=none \(once) | parent=none \(once) | parent=none \(once)")
        #expect(
            facts["lifecycle task group child"]
                == "parent=Task {} \(once) | parent=Task {} \(once) | parent=checkout \(once) | parent=checkout \(once)"
        )
        #expect(facts["lifecycle spawned"] == "parent=Task {} \(once)")
        #expect(facts["lifecycle ended unseen"] == "0")
        #expect(facts["lifecycle counted"] == "spawned 10 of 10, finished 10 of 10", "RuntimeMetrics counts them too")
        #expect(facts["lifecycle dropped"] == "0")
    }

    /// What a suspended plain-Swift task waits on, from the runtime's dependency record after its
    /// run: the probe's `waits` (each task's parks, foreign wakes and end, in order).
    @Test func aPlainSwiftTaskParksOnWhatItAwaits() throws {
        let facts = try #require(try Self.run("waits"), Comment(rawValue: Self.notBuilt))
        #expect(facts["install"] == "ok")
        #expect(facts["waits value"] == "9")
        #expect(facts["waits resumed"] == "parked continuation, woken by thread probe-resumer, completed")
        // A spawned task is not watched: no park read from the runtime, its end recorded once.
        #expect(
            facts["waits spawned waiter"]
                == "woken by thread probe-resumer, woken by thread probe-resumer, completed")
        // Also with its `async let` children's records above its own: no park read after its runs.
        #expect(facts["waits spawned joiner"] == "completed")
        #expect(facts["waits awaiter"] == "parked join awaited, completed")
        #expect(facts["waits grouper"] == "parked task group, completed")
        // A sleep keeps the timer it parked on: the continuation under it says less.
        #expect(facts["waits awaited"] == "parked timer, completed")
        #expect(facts["waits nap() · group child"] == "parked timer, completed")
        // Each ends on its actor, out of the workers' sight: the actor watch sees the end.
        #expect(facts["waits queued"] == "parked actor Counter, completed")
        #expect(facts["waits to main"] == "parked actor MainActor, completed")
        #expect(facts["waits second holder"] == "parked actor Counter, completed")
        // The second holder's call runs inside the actor's own job, a job of no task: the worker
        // running it publishes the actor it runs for.
        #expect(facts["waits actor job"] == "Counter")
    }

    /// Every standard-library sleep parks on runviz's heap: one timer fired there per sleep.
    @Test func sleepsParkOnRunvizsTimerHeap() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        for name in ["Task.sleep(for)", "Task.sleep(nanoseconds)", "ContinuousClock.sleep", "SuspendingClock.sleep"] {
            #expect(facts[name] == "timers=1 at least 30 ms: true", "\(name): \(facts[name] ?? "missing")")
        }
        #expect(facts["cancelled sleep"] == "threw true within 1 s: true")
    }

    @Test func aTaskPreferringGlobalConcurrentExecutorRunsOnRunviz() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        let thread = try #require(facts["globalConcurrentExecutor preference"])
        #expect(thread.hasPrefix("runviz-w"), "ran on \(thread)")
    }

    /// A sleep still on the heap at shutdown goes to Swift's own timer and wakes there.
    @Test func aSleepPendingAtShutdownWakesOnSwiftsDefaultExecutor() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        #expect(facts["sleeping at shutdown"] == "woke off runviz")
    }

    @Test func aSecondInstallThrowsTaken() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        #expect(facts["second install"] == "taken")
    }

    @Test func afterShutdownGlobalJobsRunOnSwiftsDefaultExecutor() throws {
        let facts = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        let after = try #require(Self.threadAndJobs(facts["after shutdown"]), "\(facts["after shutdown"] ?? "missing")")
        #expect(!after.thread.hasPrefix("runviz-w"))
        #expect(after.jobs == 0)
        #expect(facts["queued at shutdown"] == "8 ran, 0 on runviz")
    }

    /// Jobs run the way the default executor runs them: an `async let` Fibonacci takes as many jobs
    /// on runviz as on Swift's default executor (run as a task executor, it took 2.7 times as many).
    @Test func anAsyncLetFibonacciTakesNoMoreJobsThanOnTheDefaultExecutor() throws {
        let installed = try #require(try Self.installed.get(), Comment(rawValue: Self.notBuilt))
        let plain = try #require(try Self.run("default"))
        func jobs(_ value: String?) -> Int? { value?.split(separator: " ").first.flatMap { Int($0) } }
        let onRunviz = try #require(jobs(installed["fib jobs"]), "\(installed["fib jobs"] ?? "missing")")
        let onDefault = try #require(jobs(plain["fib jobs"]), "\(plain["fib jobs"] ?? "missing")")
        #expect(installed["fib jobs"]?.contains("value=610") == true)
        #expect(onDefault > 986, "two async lets per call: more than one job per call")
        #expect(Double(onRunviz) <= Double(onDefault) * 1.05, "runviz \(onRunviz) jobs, default \(onDefault)")
    }

    @Test func anAsyncMainInstallsItToo() throws {
        let facts = try #require(try Self.run("async-main"), Comment(rawValue: Self.notBuilt))
        #expect(facts["install"] == "ok")
        let detached = try #require(
            Self.threadAndJobs(facts["Task.detached"]), "\(facts["Task.detached"] ?? "missing")")
        #expect(detached.thread.hasPrefix("runviz-w"))
        #expect(detached.jobs >= 1)
        #expect(facts["fib jobs"]?.contains("value=610") == true)
        #expect(facts["main actor hop"] == "ok")
    }

    @Test func blockOnOnTheMainThreadLetsItsTaskHopToTheMainActor() throws {
        let plain = try #require(try Self.run("main-actor"), Comment(rawValue: Self.notBuilt))
        #expect(plain["blockOn main actor"] == "main thread")
        let installed = try #require(try Self.installed.get())
        #expect(installed["blockOn main actor"] == "main thread")
    }
}
