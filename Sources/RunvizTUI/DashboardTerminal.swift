// What the dashboard loop needs of a terminal: its size, drawing a whole Screen (the terminal sends
// only what changed), and reading one key with a timeout. CursesTerminal is the real one; tests
// drive the loop with a scripted one.

protocol DashboardTerminal: AnyObject {
    var size: (width: Int, height: Int) { get }
    func draw(_ frame: Screen)
    /// The next key, or nil when none arrived within `timeoutMillis`.
    func readKey(timeoutMillis: Int) -> Key?
}

extension CursesTerminal: DashboardTerminal {}
