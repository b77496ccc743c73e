// How each `Style` role looks: the one place colours and attributes are decided. With colour off
// (`--no-color`, `NO_COLOR`), roles keep only attributes (bold, dim, reverse), which every terminal
// has; the words and glyphs beside them carry the meaning either way.

struct Theme: Equatable, Sendable {
    /// The eight standard terminal colours, numbered as curses numbers them.
    enum Color: Int16, Sendable {
        case black = 0, red, green, yellow, blue, magenta, cyan, white
    }

    struct Appearance: Equatable, Sendable {
        /// nil: the terminal's default foreground.
        var foreground: Color?
        var bold = false
        var dim = false
        var reverse = false
        var underline = false
    }

    let color: Bool

    init(color: Bool) {
        self.color = color
    }

    func appearance(of style: Style) -> Appearance {
        var look = Appearance(foreground: nil)
        switch style {
        case .normal: break
        case .dim: look.dim = true
        case .bold: look.bold = true
        case .title:
            look.bold = true
            look.foreground = .cyan
        case .focusedTitle:
            look.bold = true
            look.reverse = true
            look.foreground = .cyan
        case .running:
            look.foreground = .green
            look.bold = !color
        case .idle: look.foreground = .yellow
        case .parked:
            look.foreground = .blue
            look.dim = !color
        case .blocked:
            look.foreground = .red
            look.bold = true
        case .warning:
            look.foreground = .yellow
            look.bold = true
        case .selected: look.reverse = true
        case .current:
            look.reverse = true
            look.bold = true
            look.foreground = .magenta
        }
        if !color { look.foreground = nil }
        return look
    }
}
