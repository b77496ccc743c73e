// A key press, independent of curses: `CursesTerminal.readKey` produces these, tests construct them.

enum Key: Equatable, Hashable, Sendable {
    /// A printable character (`s`, `S`, `?`, space).
    case character(Character)
    case tab
    case backtab
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case enter
    case escape
    case backspace
    /// Ctrl-C (the terminal is in raw mode, so it arrives as a key, not as SIGINT).
    case interrupt
    /// The terminal changed size.
    case resize

    static let space = Key.character(" ")
}
