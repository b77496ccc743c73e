// Where each panel goes for a terminal size. Two layouts:
//
//   wide (≥ 110 × 30): a three-row header (the last one for the last demo action); workers across
//   the full width; two columns (left: ready queue over parked tasks; right: echo server over
//   registered fds); wakeups across the full width; demo results; lints; a two-row key bar.
//   compact (≥ 80 × 24): the same panels stacked in one column with fewer rows each, a two-row
//   header and a one-row key bar.
//
// Below 80 × 24 there is no layout (the dashboard says the terminal is too small). The layout
// depends on the size and on a few counts (workers, demos, lints), never on the number of tasks.

struct DashboardLayout: Equatable {
    static let minimumWidth = 80
    static let minimumHeight = 24

    let wide: Bool
    var header: Rect
    var workers: Rect
    var readyQueue: Rect
    var parkedTasks: Rect
    var fds: Rect
    var wakeups: Rect
    var echo: Rect
    var demos: Rect
    var lints: Rect
    var keyBar: Rect
    /// The vertical rule between the two columns (wide layout only).
    var divider: Rect?
    /// Where help, lessons, task detail and step mode are drawn: all but the header and key bar.
    var overlay: Rect

    init?(width: Int, height: Int, workerCount: Int, demoCount: Int, lintCount: Int) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        wide = width >= 110 && height >= 30
        let headerRows = wide ? 3 : 2
        let keyRows = wide ? 2 : 1
        header = Rect(x: 0, y: 0, width: width, height: headerRows)
        keyBar = Rect(x: 0, y: height - keyRows, width: width, height: keyRows)
        overlay = Rect(x: 0, y: headerRows, width: width, height: height - headerRows - keyRows)
        let workerCount = max(1, workerCount)
        if wide {
            let lintRows = min(max(1, lintCount), 3)
            let demoRows = min(max(1, demoCount), 3)
            lints = Rect(x: 0, y: keyBar.y - lintRows, width: width, height: lintRows)
            demos = Rect(x: 0, y: lints.y - demoRows, width: width, height: demoRows)
            let workerRows = min(workerCount, max(2, height / 5))
            workers = Rect(x: 0, y: header.maxY, width: width, height: workerRows + 2)
            let bandTop = workers.maxY
            let band = demos.y - bandTop
            let wakeupRows = max(5, band / 3)
            wakeups = Rect(x: 0, y: demos.y - wakeupRows, width: width, height: wakeupRows)
            let columnRows = wakeups.y - bandTop
            let leftWidth = width * 47 / 100
            let rightX = leftWidth + 1
            let readyRows = min(8, columnRows / 2)
            readyQueue = Rect(x: 0, y: bandTop, width: leftWidth, height: readyRows)
            parkedTasks = Rect(x: 0, y: bandTop + readyRows, width: leftWidth, height: columnRows - readyRows)
            // Room for the echo panel's seven rows (connections, rates, the reply, why it moved or what
            // it times, the process, a connection's cost) before the fds take the rest.
            let echoRows = min(8, max(2, (columnRows + 2) / 2))
            echo = Rect(x: rightX, y: bandTop, width: width - rightX, height: echoRows)
            fds = Rect(x: rightX, y: bandTop + echoRows, width: width - rightX, height: columnRows - echoRows)
            divider = Rect(x: leftWidth, y: bandTop, width: 1, height: columnRows)
        } else {
            lints = Rect(x: 0, y: height - 2, width: width, height: 1)
            demos = Rect(x: 0, y: height - 3, width: width, height: 1)
            echo = Rect(x: 0, y: height - 5, width: width, height: 2)
            let available = echo.y - header.maxY
            var ready = 3
            var parked = 4
            var fdRows = 3
            var wake = 3
            let workerRows = min(workerCount, 8, max(1, available - (ready + parked + fdRows + wake) - 2))
            workers = Rect(x: 0, y: header.maxY, width: width, height: workerRows + 2)
            var extra = available - workers.height - (ready + parked + fdRows + wake)
            var turn = 0
            while extra > 0 {
                switch turn % 4 {
                case 0: parked += 1
                case 1: wake += 1
                case 2: fdRows += 1
                default: if ready < 8 { ready += 1 } else { parked += 1 }
                }
                extra -= 1
                turn += 1
            }
            readyQueue = Rect(x: 0, y: workers.maxY, width: width, height: ready)
            parkedTasks = Rect(x: 0, y: readyQueue.maxY, width: width, height: parked)
            fds = Rect(x: 0, y: parkedTasks.maxY, width: width, height: fdRows)
            wakeups = Rect(x: 0, y: fds.maxY, width: width, height: wake)
            divider = nil
        }
    }

    func rect(for panel: Panel) -> Rect {
        switch panel {
        case .workers: return workers
        case .readyQueue: return readyQueue
        case .parkedTasks: return parkedTasks
        case .fds: return fds
        case .wakeups: return wakeups
        case .echo: return echo
        }
    }
}
