// The echo server as the observation reads it: its counters as an `EchoReading` and its switch as
// the snapshot's own two-case word, so the TUI needs nothing from RunvizEcho and the echo server
// knows no observer. It lives here, beside the demo that flips the switch and below the session
// that reads both each turn.

import RunvizEcho
import RunvizObservation

extension EchoSnapshot.Mode {
    package init(_ mode: ServerMode) {
        switch mode {
        case .tasks: self = .tasks
        case .threads: self = .threads
        }
    }
}

extension EchoServer {
    /// Every counter now, and how new connections are served, as one value. Each counter is read
    /// once, with no lock: counters that move while they are read may be a moment apart.
    public func reading() -> EchoReading {
        EchoReading(
            echoes: stats.echoCount, bytes: stats.bytesEchoed, openTasks: stats.openTaskCount,
            openThreads: stats.openThreadCount, accepted: stats.acceptedCount,
            connectionErrors: stats.connectionErrorCount, acceptBackoffs: stats.acceptBackoffCount,
            mode: EchoSnapshot.Mode(mode))
    }
}
