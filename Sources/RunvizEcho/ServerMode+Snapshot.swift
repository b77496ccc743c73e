// The server's switch as the dashboard describes it: the snapshot has its own two-case word for
// it, so the TUI needs nothing from RunvizEcho.

import RunvizObservation

extension EchoSnapshot.Mode {
    public init(_ mode: ServerMode) {
        switch mode {
        case .tasks: self = .tasks
        case .threads: self = .threads
        }
    }
}
