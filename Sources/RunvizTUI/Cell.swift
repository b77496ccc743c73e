// One column of one row of the screen: a single-column character and the role it is drawn in.

public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: Style

    public init(character: Character, style: Style = .normal) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell(character: " ")
}
