// The echo server's switch as the dashboard describes it: the snapshot has its own two-case word
// for it, so the TUI needs nothing from RunvizEcho. It lives here, beside the demo that flips the
// switch and below the session that reads it each turn: the echo server knows no view model.

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
