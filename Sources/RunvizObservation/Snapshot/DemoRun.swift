// The demo key pressed last, as facts: which demo, when, the tasks it started and how many of them
// have finished. The screen writes its caption from these and from the same frame's workers, tasks
// and replies (which worker a blocker holds, where a spawned task is parked), so the caption and the
// panels never disagree. Filled by the live demo runner; recordings carry it from format 2 on.

import RunvizTelemetry

public struct DemoRun: Sendable, Codable, Equatable {
    public enum Demo: Sendable, Codable, Equatable {
        /// `s` / `S`: tasks that sleep on a timer, then work 200 µs.
        case spawn(count: Int)
        /// `b`: blockers that call usleep inside async; every `b` while one blocks adds one more.
        case blockWorker
        /// `B`: the same usleep through spawnBlocking.
        case blockOnPool
        /// `c` / `C`: synthetic clients added (positive) or removed (negative), and how many run now.
        case clients(change: Int, running: Int)
        /// `a`, `n`: their numbers are `DemoSnapshot.join` and `.channel`.
        case join
        case channel
        /// `m` / `M`: its numbers are `DemoSnapshot.lock`.
        case lock(blocking: Bool)
        /// `t`: how new connections are served from now on.
        case serverMode(EchoSnapshot.Mode)
        /// `f`: hogs that hold every worker while the tasks in `tasks` wait unpolled.
        case lazy(hogs: Int)
    }

    public var demo: Demo
    public var startedAt: UInt64
    /// The tasks the caption follows: spawned tasks, blockers, the offloader, the lazy demo's tasks.
    public var tasks: [TaskID]
    /// How many of `tasks` have returned.
    public var finished: Int
    /// When the blocking calls end (`b`: every blocker of the series; `B`: the pool's usleep).
    public var endsAt: UInt64?

    public init(demo: Demo, startedAt: UInt64, tasks: [TaskID] = [], finished: Int = 0, endsAt: UInt64? = nil) {
        self.demo = demo
        self.startedAt = startedAt
        self.tasks = tasks
        self.finished = finished
        self.endsAt = endsAt
    }

    /// Every task it follows has returned.
    public var isDone: Bool { !tasks.isEmpty && finished >= tasks.count }
}
