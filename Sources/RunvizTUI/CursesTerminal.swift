// The one file that talks to ncurses. Rules:
//  - Never start curses without a terminal: `checkTerminal()` first (ncurses' `initscr` would print
//    "Error opening terminal" and exit the process). The terminal is opened with `newterm`, which
//    returns an error instead of exiting.
//  - `setlocale` before curses starts, or Unicode glyphs turn to garbage.
//  - Raw mode, so Ctrl-C arrives as a key (`Key.interrupt`) and quitting always restores the
//    terminal; no echo; keypad on (arrows, PgUp/PgDn, Shift-Tab); Esc recognised after 25 ms.
//  - `draw` writes only the cells that changed since the previous frame, in runs of one style,
//    with `mvwaddstr` (never the variadic printw); after a resize it redraws everything.
//  - `restore()` is idempotent and also runs on deinit.
//  - Swift 6 rejects C globals such as `stdscr`: everything goes through the shim's accessors.

import CRunvizCurses
import Glibc

public final class CursesTerminal {
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: Screen?
    private var attributes: [Int32] = []

    /// nil when stdin and stdout are terminals curses can drive; otherwise the message to print
    /// before exiting with status 2.
    public static func checkTerminal() -> String? {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            return "runviz launch needs a terminal; for scripts use `runviz serve`"
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else {
            return "runviz launch needs a terminal (TERM is unset or dumb); for scripts use `runviz serve`"
        }
        return nil
    }

    /// Whether the user's locale encodes UTF-8 (if not, the caller should draw with `--ascii`).
    public static func localeIsUTF8() -> Bool {
        runviz_setlocale_all()
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Starts curses on the controlling terminal. Call `checkTerminal()` first.
    public init(color: Bool) throws {
        if let problem = Self.checkTerminal() { throw StartError(description: problem) }
        runviz_setlocale_all()
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
            let screen = newterm(nil, output, input)
        else {
            throw StartError(description: "runviz launch could not open the terminal (TERM is not supported)")
        }
        self.screen = screen
        window = runviz_stdscr()
        raw()
        noecho()
        keypad(window, true)
        _ = runviz_set_escdelay(25)
        curs_set(0)
        attributes = Self.attributes(theme: Theme(color: color && has_colors()))
    }

    deinit { restore() }

    /// The terminal's size in cells.
    var size: (width: Int, height: Int) {
        guard window != nil else { return (0, 0) }
        return (Int(runviz_cols()), Int(runviz_lines()))
    }

    /// Copies `frame` to the terminal, writing only what changed since the last frame.
    func draw(_ frame: Screen) {
        guard let window else { return }
        if let last = previous, last.width != frame.width || last.height != frame.height {
            previous = nil
        }
        if previous == nil { werase(window) }
        for y in 0..<frame.height {
            var x = 0
            while x < frame.width {
                let cell = frame[x, y]
                if let last = previous, last[x, y] == cell {
                    x += 1
                    continue
                }
                var run = String(cell.character)
                var end = x + 1
                while end < frame.width, frame[end, y].style == cell.style,
                    previous == nil || previous![end, y] != frame[end, y]
                {
                    run.append(frame[end, y].character)
                    end += 1
                }
                wattrset(window, attributes[Int(cell.style.rawValue)])
                _ = mvwaddstr(window, Int32(y), Int32(x), run)
                x = end
            }
        }
        wattrset(window, 0)
        wrefresh(window)
        previous = frame
    }

    /// Waits up to `timeoutMillis` for a key (0: don't wait). nil on timeout or for keys runviz
    /// does not use.
    func readKey(timeoutMillis: Int) -> Key? {
        guard let window else { return nil }
        wtimeout(window, Int32(clamping: timeoutMillis))
        let code = wgetch(window)
        switch code {
        case runviz_err(): return nil
        case runviz_key_resize():
            previous = nil
            return .resize
        case runviz_key_up(): return .up
        case runviz_key_down(): return .down
        case runviz_key_left(): return .left
        case runviz_key_right(): return .right
        case runviz_key_ppage(): return .pageUp
        case runviz_key_npage(): return .pageDown
        case runviz_key_home(): return .home
        case runviz_key_end(): return .end
        case runviz_key_btab(): return .backtab
        case runviz_key_enter(), 10, 13: return .enter
        case runviz_key_backspace(), 127, 8: return .backspace
        case 9: return .tab
        case 27: return .escape
        case 3: return .interrupt
        case 32...126: return .character(Character(Unicode.Scalar(UInt8(code))))
        default: return nil
        }
    }

    /// Ends curses and gives the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
        window = nil
        previous = nil
    }

    private static func attributes(theme: Theme) -> [Int32] {
        var background: Int16 = -1
        if theme.color {
            start_color()
            if use_default_colors() == runviz_err() { background = Theme.Color.black.rawValue }
        }
        return Style.allCases.map { style in
            let look = theme.appearance(of: style)
            var value: Int32 = 0
            if look.bold { value |= runviz_a_bold() }
            if look.dim { value |= runviz_a_dim() }
            if look.reverse { value |= runviz_a_reverse() }
            if look.underline { value |= runviz_a_underline() }
            if let color = look.foreground {
                let pair = Int16(style.rawValue) + 1
                init_pair(pair, color.rawValue, background)
                value |= runviz_color_pair(Int32(pair))
            }
            return value
        }
    }
}
