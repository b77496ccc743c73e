// The one line that says, while a demo key's work runs, what the learner is looking at and what to
// notice, from the frame's own numbers: which worker a blocker holds and which one serves the
// replies, how many replies wait, where a spawned task is parked, who holds a lock and who waits.
// It ends with the lesson `L` opens for it ("L: lesson 08") while `L` would open that one.
//
// Each caption is written in a few forms, richest first; the first that fits the row is drawn, so
// no word is ever cut. The plainest form of every caption fits the narrowest dashboard (80
// columns, `Dashboard.minimumSize`, also the dashboard's width beside a docked lesson).

import RunvizObservation

enum DemoCaption {
    static func line(_ run: DemoRun, _ snapshot: DashboardSnapshot, _ context: RenderContext, width: Int) -> Line {
        let glyphs = context.glyphs
        var suffix = Line()
        if let id = LessonCatalog.lessonID(for: command(run.demo)), context.view.lastDemoLesson == id {
            suffix.append(glyphs.dot)
            suffix.append("L: lesson \(id.prefix { $0 != "-" })", .dim)
        }
        let forms = self.forms(run, snapshot, context)
        let chosen = forms.first { $0.count + suffix.count <= width } ?? forms.last ?? Line()
        var line = chosen
        line.append(suffix)
        return line
    }

    /// The command whose key started `demo` (the lesson catalog maps commands to lessons).
    static func command(_ demo: DemoRun.Demo) -> Command {
        switch demo {
        case .spawn(let count): return .spawnTasks(count: count)
        case .blockWorker: return .blockWorker
        case .blockOnPool: return .blockOnPool
        case .clients(let change, _): return change < 0 ? .removeClients(-change) : .addClients(change)
        case .join: return .joinDemo
        case .channel: return .channelDemo
        case .lock(let blocking): return .lockDemo(blocking: blocking)
        case .serverMode: return .toggleServerMode
        case .lazy: return .lazyDemo
        }
    }

    /// The key that started `demo`, as the key bar names it.
    static func key(_ demo: DemoRun.Demo) -> String {
        switch demo {
        case .spawn(let count): return count == 1 ? "s" : "S"
        case .blockWorker: return "b"
        case .blockOnPool: return "B"
        case .clients(let change, _): return change < 0 ? "C" : "c"
        case .join: return "a"
        case .channel: return "n"
        case .lock(let blocking): return blocking ? "m" : "M"
        case .serverMode: return "t"
        case .lazy: return "f"
        }
    }

    /// The caption's forms, richest first: each is the key, then text parts joined by dots.
    static func forms(_ run: DemoRun, _ snapshot: DashboardSnapshot, _ context: RenderContext) -> [Line] {
        let texts: [[String]]
        switch run.demo {
        case .spawn(let count): texts = count == 1 ? spawnOne(run, snapshot, context) : spawnMany(run, snapshot)
        case .blockWorker: texts = blockWorker(run, snapshot, context)
        case .blockOnPool: texts = blockOnPool(run, snapshot, context)
        case .clients(let change, let running): texts = clients(change, running, snapshot, context)
        case .join: texts = join(snapshot, context)
        case .channel: texts = channel(snapshot)
        case .lock(let blocking): texts = lock(blocking, snapshot, context)
        case .serverMode(let mode): texts = serverMode(mode, snapshot)
        case .lazy(let hogs): texts = lazy(hogs, run, snapshot)
        }
        return texts.map { parts in
            var line = Line(key(run.demo), .bold)
            line.append(": " + parts.joined(separator: context.glyphs.dot))
            return line
        }
    }

    // MARK: - The captions

    /// `s`: one task, and where it is now.
    static func spawnOne(_ run: DemoRun, _ snapshot: DashboardSnapshot, _ context: RenderContext) -> [[String]] {
        guard let id = run.tasks.first else { return [["spawning a task"]] }
        let task = snapshot.runtime.task(id)
        let name = "\(id) \(task?.name ?? "demo")"
        if run.isDone {
            return [["\(name) done: it slept on a timer, then ran 200 \(context.glyphs.micro)s on a worker"]]
        }
        switch task?.state {
        case .parked(.timer(let deadline)):
            let due = context.duration(deadline &- min(deadline, context.now))
            return [
                ["\(name) parked on a timer, due in \(due): it holds no worker", "then it runs on one"],
                ["\(name) parked on a timer, due in \(due): it holds no worker"],
                ["\(name) parked on a timer, due in \(due)", "no worker held"],
            ]
        case .queued, .notYetPolled: return [["\(name) queued: it waits for a free worker"]]
        case .running(let worker):
            return [["\(name) running on W\(worker): 200 \(context.glyphs.micro)s of work, then it is done"]]
        default: return [["\(name) spawned"]]
        }
    }

    /// `S`: a burst, counted by state.
    static func spawnMany(_ run: DemoRun, _ snapshot: DashboardSnapshot) -> [[String]] {
        var parked = 0
        var queued = 0
        var running = 0
        for id in run.tasks {
            switch snapshot.runtime.task(id)?.state {
            case .parked: parked += 1
            case .queued, .notYetPolled: queued += 1
            case .running: running += 1
            default: break
            }
        }
        let counts =
            "\(run.tasks.count) tasks: \(parked) parked on timers, \(queued) queued, \(running) running, "
            + "\(run.finished) done"
        let workers = Format.counted(snapshot.runtime.workers.count, "worker")
        return [[counts, "\(workers) run them all"], [counts]]
    }

    /// `b`: which worker the blocker holds and who serves the replies; with every worker held, the stall.
    static func blockWorker(_ run: DemoRun, _ snapshot: DashboardSnapshot, _ context: RenderContext) -> [[String]] {
        let workers = snapshot.runtime.workers
        let replies = snapshot.runtime.replies
        let p99 = replies.p99Nanos.map { "reply p99 \(context.duration($0))" } ?? "no reply in the last second"
        let held = workers.filter { worker in
            guard let task = worker.state.task else { return false }
            return run.tasks.contains(task)
        }
        if run.isDone {
            let back = "blockers done, workers free again"
            // Fewer blockers than workers never stalled the runtime: say how to.
            let again = run.tasks.count < workers.count ? ["press b twice to stall every worker"] : []
            return [[back, p99] + again, [back] + again, [back, p99], [back]]
        }
        guard !held.isEmpty else {
            return [["\(run.tasks.last.map { "\($0) " } ?? "")blocker queued: it waits for a free worker", p99]]
        }
        let heldNames = held.map { "W\($0.index)" }.joined(separator: " ")
        let longest = held.compactMap(\.state.jobNanos).max() ?? 0
        // BLOCKED as the Workers rows say it: from the blocked threshold on; before, the blocker runs.
        let blocked = held.allSatisfy(\.state.isBlocked) ? "BLOCKED" : "running"
        if held.count < workers.count {
            let free = workers.filter { w in !held.contains { $0.index == w.index } }
            let freeNames = free.map { "W\($0.index)" }.joined(separator: " ")
            let serve = "\(freeNames) serve\(free.count == 1 ? "s" : "") every reply"
            let head = "\(heldNames) \(blocked) in usleep \(context.duration(longest)); " + serve
            let again = free.count == 1 ? "b again blocks \(freeNames) too" : "b again blocks one more"
            let runs = free.map { "W\($0.index) \(Format.compact($0.runsPerSecond)) runs/s" }.joined(separator: ", ")
            return [
                [head, again, p99, runs],
                [head, again, p99],
                [head, again],
                ["\(heldNames) \(blocked) \(context.duration(longest)); " + serve, again],
                ["\(heldNames) \(blocked); " + serve, again],
            ]
        }
        let waiting =
            replies.awaiting > 0
            ? "\(Format.counted(replies.awaiting, "reply", plural: "replies")) waiting, oldest "
                + context.duration(replies.oldestAwaitingNanos)
            : "no reply waiting"
        let ready = "ready queue \(Format.grouped(snapshot.runtime.readyDepth))"
        let every = workers.count == 1 ? "\(heldNames) \(blocked)" : "every worker \(blocked)"
        let ends = run.endsAt.map { "free in \(context.duration($0 &- min($0, context.now)))" }
        return [
            ["\(every) in usleep: nothing else runs", waiting, ready] + (ends.map { [$0] } ?? []),
            ["\(every) in usleep: nothing else runs", waiting, ready],
            ["\(every) in usleep: nothing else runs", waiting],
            [every, waiting],
        ]
    }

    /// `B`: the same usleep on a pool thread; the workers stay free.
    static func blockOnPool(_ run: DemoRun, _ snapshot: DashboardSnapshot, _ context: RenderContext) -> [[String]] {
        let runtime = snapshot.runtime
        let blocked = runtime.workers.filter(\.state.isBlocked).count
        let workers = "\(Format.counted(blocked, "worker")) blocked"
        let p99 = runtime.replies.p99Nanos.map { "reply p99 \(context.duration($0))" } ?? "no reply in the last second"
        let offloader = run.tasks.first.map { "\($0) offloader" } ?? "the offloader"
        if run.isDone {
            return [
                ["usleep returned on the pool thread and \(offloader) resumed", workers, p99],
                ["usleep returned on the pool thread and \(offloader) resumed", workers],
                ["usleep done on the pool, \(run.tasks.first.map { "\($0)" } ?? "the task") resumed", workers],
            ]
        }
        let pool = "usleep runs on a blocking-pool thread (\(runtime.blockingPool.busy) busy)"
        return [
            [pool, "\(offloader) parked on it", workers, p99],
            [pool, workers, p99],
            [pool, workers],
            ["usleep on a pool thread (\(runtime.blockingPool.busy) busy)", workers],
        ]
    }

    /// `c` / `C`: the clients, their connections (one task each) and the replies.
    static func clients(_ change: Int, _ running: Int, _ snapshot: DashboardSnapshot, _ context: RenderContext)
        -> [[String]]
    {
        let echo = snapshot.echo
        let head = "\(Format.counted(running, "synthetic client")) (\(change < 0 ? "" : "+")\(change))"
        let connections =
            echo.threadConnections > 0
            ? "\(Format.grouped(echo.taskConnections)) connections on tasks, "
                + "\(Format.grouped(echo.threadConnections)) on threads"
            : "\(Format.grouped(echo.taskConnections)) connections, one task each"
        let short =
            echo.threadConnections > 0
            ? "\(Format.grouped(echo.taskConnections)) on tasks, \(Format.grouped(echo.threadConnections)) on threads"
            : "\(Format.grouped(echo.taskConnections)) connection tasks"
        let rate = "\(Format.compact(echo.roundTripsPerSecond)) round trips/s"
        let p99 = snapshot.runtime.replies.p99Nanos.map { "reply p99 \(context.duration($0))" }
        return [
            [head, connections, rate] + (p99.map { [$0] } ?? []),
            [head, connections, rate],
            [head, connections],
            [head, short],
        ]
    }

    /// `a`: concurrent ≈ max, then sequential ≈ sum.
    static func join(_ snapshot: DashboardSnapshot, _ context: RenderContext) -> [[String]] {
        guard let join = snapshot.demos.join else { return [["async let of two sleeps"]] }
        let glyphs = context.glyphs
        let a = "\(join.firstMillis) ms"
        let b = "\(join.secondMillis) ms"
        let running = "running\(glyphs.ellipsis)"
        let concurrent = join.concurrentNanos.map { "\(context.duration($0)) \(glyphs.approximately) max" } ?? running
        let sequential = join.sequentialNanos.map { "\(context.duration($0)) \(glyphs.approximately) sum" }
        var long = ["async let sleeps \(a) and \(b) at once: \(concurrent)"]
        var short = ["async let \(a), \(b): \(concurrent)"]
        if join.concurrentNanos != nil {
            long.append("the same one after the other: \(sequential ?? running)")
            short.append("in turn: \(sequential ?? running)")
        }
        return [long, short]
    }

    /// `n`: who is parked on the bounded channel, and why.
    static func channel(_ snapshot: DashboardSnapshot) -> [[String]] {
        guard let channel = snapshot.demos.channel else { return [["a bounded channel"]] }
        let parked = DemosPanel.parkedOnChannel(channel.id, in: snapshot.runtime.tasks)
        let progress = "sent \(Format.grouped(channel.sent))/\(Format.grouped(channel.total))"
        if channel.received >= channel.total {
            return [
                [
                    "done: \(channel.total) messages through \(channel.capacity) slots",
                    "senders parked when it was full, receivers when it was empty",
                ],
                ["done: \(channel.total) messages through \(channel.capacity) slots"],
            ]
        }
        let fill =
            channel.buffered >= channel.capacity ? " full" : channel.buffered == 0 ? " empty" : ""
        let head = "channel \(channel.buffered)/\(channel.capacity)\(fill)"
        let waits =
            "\(Format.counted(parked.senders, "sender")) parked on send, "
            + "\(Format.counted(parked.receivers, "receiver")) on receive"
        let short =
            "\(Format.counted(parked.senders, "sender")), \(Format.counted(parked.receivers, "receiver")) parked"
        return [[head, waits, progress], [head, waits], [head, short, progress], [head, short]]
    }

    /// `m` / `M`: the same work on a blocking lock and on the async mutex; what waiting costs.
    static func lock(_ blocking: Bool, _ snapshot: DashboardSnapshot, _ context: RenderContext) -> [[String]] {
        let other = blocking ? "compare M" : "compare m"
        guard let lock = snapshot.demos.lock else { return [[other]] }
        let runtime = snapshot.runtime
        if let elapsed = lock.elapsedNanos {
            let took = "done in \(context.duration(elapsed))"
            if blocking, lock.gaveUp > 0 {
                let waited = "a deadlock: the lock's holder needed the worker its waiter held"
                return [["\(took): \(waited); the waiter gave up", other], ["\(took): a deadlock, undone", other]]
            }
            return blocking
                ? [["\(took): each wait for the lock blocked a worker", other]]
                : [["\(took): waiters parked, no worker blocked", other]]
        }
        let p99 = runtime.replies.p99Nanos.map { "reply p99 \(context.duration($0))" } ?? "no reply in the last second"
        let holder = lock.holder.map { " \($0) holds" } ?? ""
        if blocking {
            let waiting = runtime.workers.filter {
                if case .blockedOnLock = $0.state { return true }
                return false
            }
            guard !waiting.isEmpty else {
                return [["\(lock.tasks) tasks take turns on a blocking lock: no worker waits right now", other]]
            }
            let names = waiting.map { "W\($0.index)" }.joined(separator: " ")
            let head =
                "\(names) BLOCKED on the lock" + (holder.isEmpty ? "" : holder + " across an await")
            let left = "\(runtime.workers.count - waiting.count) of \(runtime.workers.count) workers left"
            return [[head, left, p99, other], [head, left, other], [head, other]]
        }
        let parked = runtime.tasks.filter { $0.state == .parked(.mutex(id: lock.mutexID ?? 0)) }.count
        let blockedWorkers = runtime.workers.filter(\.state.isBlocked).count
        let head = "\(Format.counted(parked, "task")) parked on mutex #\(lock.mutexID ?? 0)"
        let workers = "\(Format.counted(blockedWorkers, "worker")) blocked"
        let held = head + (holder.isEmpty ? "" : " while" + holder + " it across an await")
        return [
            [held, workers, p99, other], [held, workers, other], [head, workers, p99, other], [head, workers, other],
        ]
    }

    /// `t`: how new connections are served now, and what the process holds for them.
    static func serverMode(_ mode: EchoSnapshot.Mode, _ snapshot: DashboardSnapshot) -> [[String]] {
        let echo = snapshot.echo
        let process = snapshot.process
        let how = mode == .threads ? "new connections get one OS thread each" : "new connections get one task each"
        let short = mode == .threads ? "new connections on OS threads" : "new connections on tasks"
        let split =
            "\(Format.grouped(echo.threadConnections)) on threads, \(Format.grouped(echo.taskConnections)) on tasks"
        let memory = "process threads \(process.threads), RSS \(Format.bytes(Double(process.residentBytes)))"
        return [[how, split, memory], [how, split], [short, split]]
    }

    /// `f`: hogs hold every worker while spawned tasks wait, never polled.
    static func lazy(_ hogs: Int, _ run: DemoRun, _ snapshot: DashboardSnapshot) -> [[String]] {
        let held = "\(Format.counted(hogs, "hog")) hold every worker 400 ms"
        guard !run.tasks.isEmpty else { return [[held]] }
        if run.isDone {
            return [["the \(run.tasks.count) tasks ran once a worker was free: spawned is not polled"]]
        }
        let waiting = run.tasks.filter { snapshot.runtime.task($0)?.state == .notYetPolled }.count
        return [
            [held, "\(waiting) of \(run.tasks.count) spawned tasks not yet polled (new)"],
            [held, "\(waiting)/\(run.tasks.count) tasks not yet polled"],
        ]
    }
}
