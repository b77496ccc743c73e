// A pure grid of cells, width × height, that the dashboard draws into and the terminal copies to
// the real screen. Invariants: every cell holds exactly one single-column character (control and
// double-width characters become "?"); writes outside the grid are dropped (clipping), never
// wrapped; an ASCII-only screen replaces any non-ASCII character with "?", so `--ascii` output is
// ASCII whatever the data.

struct Screen: Equatable, Sendable {
    let width: Int
    let height: Int
    /// Replace every non-ASCII character written with "?".
    let asciiOnly: Bool
    private(set) var cells: [Cell]

    init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from column `x` of row `y`, one column per character, clipped to the screen and
    /// to `maxWidth` columns. Returns the column after the last character written, or the clip limit
    /// when the text was cut.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, maxWidth: Int? = nil) -> Int {
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        guard y >= 0, y < height else { return min(x + text.count, limit) }
        for character in text {
            if column >= limit { break }
            if column >= 0 {
                cells[y * width + column] = Cell(character: displayable(character), style: style)
            }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one character.
    mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        let cell = Cell(character: displayable(character), style: style)
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.x + rect.width) {
                cells[row * width + column] = cell
            }
        }
    }

    /// Copies `other` onto this screen with its top-left corner at (`x`, `y`), clipped.
    mutating func copy(_ other: Screen, x: Int, y: Int) {
        for row in 0..<other.height where y + row >= 0 && y + row < height {
            for column in 0..<other.width where x + column >= 0 && x + column < width {
                cells[(y + row) * width + x + column] = other[column, row]
            }
        }
    }

    /// Changes the role of `count` cells of row `y` from column `x`, keeping their characters.
    mutating func restyle(x: Int, y: Int, count: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) {
            cells[y * width + column].style = style
        }
    }

    /// Row `y` as text, trailing spaces trimmed.
    func line(_ y: Int) -> String {
        var text = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Every row as text, trailing spaces trimmed: what a test (or `tmux capture-pane`) sees.
    func lines() -> [String] {
        (0..<height).map(line)
    }

    private func displayable(_ character: Character) -> Character {
        if character == "\t" { return " " }
        if let ascii = character.asciiValue {
            return ascii < 0x20 || ascii == 0x7F ? "?" : character
        }
        if asciiOnly { return "?" }
        if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || isWide($0) }) {
            return "?"
        }
        return character
    }

    /// East Asian wide and emoji scalars take two columns in a terminal; they would shift the row.
    private func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
