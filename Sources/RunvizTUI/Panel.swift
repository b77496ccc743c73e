// The dashboard panels that can hold the keyboard focus (Tab / Shift-Tab cycle them in this order).
// Each names the lesson `L` opens when no demo has run.

enum Panel: Int, CaseIterable, Sendable, Hashable {
    case workers
    case readyQueue
    case parkedTasks
    case fds
    case wakeups
    case echo

    var title: String {
        switch self {
        case .workers: return "Workers"
        case .readyQueue: return "Ready queue"
        case .parkedTasks: return "Parked tasks"
        case .fds: return "Registered fds"
        case .wakeups: return "Wakeups"
        case .echo: return "Echo server"
        }
    }

    /// The lesson that explains what this panel shows.
    var lessonID: String {
        switch self {
        case .workers: return "04-the-runtime"
        case .readyQueue: return "06-spawn"
        case .parkedTasks: return "02-mental-model"
        case .fds: return "15-interest-list"
        case .wakeups: return "14-wakeup-timeline"
        case .echo: return "13-echo-server"
        }
    }

    /// Whether the panel's rows can be selected (Enter opens the selected row's task).
    var isList: Bool { self != .echo }

    func next(_ step: Int) -> Panel {
        let count = Panel.allCases.count
        return Panel(rawValue: ((rawValue + step) % count + count) % count)!
    }
}
