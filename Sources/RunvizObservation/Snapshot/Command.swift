// An intent from the user for whatever feeds the dashboard (a live session applies it to its
// runtime; a source that cannot, such as a recording, declines it). The TUI only creates these
// values; it never touches the runtime itself. Quitting is the view's business, not a command.

import RunvizTelemetry

public enum Command: Sendable, Equatable {
    /// Spawn `count` short tasks (`s`: 1, `S`: 100).
    case spawnTasks(count: Int)
    /// A task does a blocking sleep inside async, stalling its worker (the primer's pitfall #1).
    case blockWorker
    /// The same blocking work through `spawnBlocking`: the workers stay free.
    case blockOnPool
    /// Add or remove built-in synthetic echo clients.
    case addClients(Int)
    case removeClients(Int)
    /// `async let` join demo: two sleeps concurrently and sequentially.
    case joinDemo
    /// Lock demo: contending tasks on a blocking lock (true) or the async mutex (false).
    case lockDemo(blocking: Bool)
    /// Producers and consumers on a bounded channel.
    case channelDemo
    /// Switch the echo server between task-per-connection and thread-per-connection for new connections.
    case toggleServerMode
    /// Spawn tasks that sit in the ready queue before their first run (futures are lazy).
    case lazyDemo
    /// Follow a task: the aggregator records its full timeline from now on (nil: stop following).
    case follow(TaskID?)
    /// Switch event recording (instrumentation) on or off; counters keep running.
    case toggleInstrumentation
}
