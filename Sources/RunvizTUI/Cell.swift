// One column of one row of the screen: a single-column character and the role it is drawn in.

struct Cell: Equatable, Sendable {
    var character: Character
    var style: Style

    init(character: Character, style: Style = .normal) {
        self.character = character
        self.style = style
    }

    static let blank = Cell(character: " ")
}
