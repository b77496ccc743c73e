// Every non-ASCII character the dashboard draws, in one place, with its ASCII stand-in for
// `--ascii` (terminals or fonts without Unicode). Panels never write a non-ASCII literal: they ask
// for a glyph here. Every glyph is one column wide.

public struct Glyphs: Equatable, Sendable {
    /// Eight levels, lowest first.
    public let sparkline: [Character]
    public let arrow: String
    public let separator: String
    public let ellipsis: String
    public let horizontal: Character
    public let vertical: Character
    public let topLeft: Character
    public let topRight: Character
    public let bottomLeft: Character
    public let bottomRight: Character
    /// Marks the focused panel's title and the current step.
    public let pointer: String
    public let warning: String
    public let micro: String
    public let times: String
    public let atMost: String
    public let atLeast: String
    public let approximately: String
    public let upDown: String
    public let leftRight: String
    public let right: String
    public let left: String
    public let workerRunning: String
    public let workerSearching: String
    public let workerParked: String
    public let workerInDriver: String
    public let workerBlocked: String
    public let workerStopped: String
    /// Starts an item of a list in a lesson.
    public let bullet: String
    /// The header's mark for a view rewound into the past.
    public let rewound: String
    /// The header's mark while a recording is written.
    public let recording: String

    public static let unicode = Glyphs(
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], arrow: "→", separator: "·", ellipsis: "…",
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        pointer: "▶", warning: "▲", micro: "µ", times: "×", atMost: "≤", atLeast: "≥", approximately: "≈",
        upDown: "↑↓", leftRight: "←→", right: "→", left: "←", workerRunning: "●", workerSearching: "◐",
        workerParked: "○", workerInDriver: "◎", workerBlocked: "■", workerStopped: "×", bullet: "•",
        rewound: "◀", recording: "●"
    )

    public static let ascii = Glyphs(
        sparkline: [" ", ".", ":", "-", "=", "+", "*", "#"], arrow: "->", separator: "|", ellipsis: "...",
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        pointer: ">", warning: "!", micro: "u", times: "x", atMost: "<=", atLeast: ">=", approximately: "~",
        upDown: "Up/Dn", leftRight: "Left/Right", right: "Right", left: "Left", workerRunning: "*",
        workerSearching: "~", workerParked: "-", workerInDriver: "=", workerBlocked: "#", workerStopped: "x",
        bullet: "*", rewound: "<<", recording: "(o)"
    )

    public static func forMode(ascii: Bool) -> Glyphs { ascii ? .ascii : .unicode }

    /// " · " between items of a line.
    var dot: String { " \(separator) " }
    /// " → " between steps of a chain.
    var then: String { " \(arrow) " }
}

extension Glyphs {
    /// Text from outside the program (lessons) with common Unicode punctuation, arrows and box
    /// drawing spelled in ASCII when this is the ASCII set; unchanged otherwise.
    func transliterate(_ text: String) -> String {
        guard self == .ascii, !text.allSatisfy(\.isASCII) else { return text }
        var out = ""
        for character in text {
            if character.isASCII {
                out.append(character)
                continue
            }
            switch character {
            case "→", "⟶": out += "->"
            case "←": out += "<-"
            case "↔": out += "<->"
            case "µ", "μ": out += "u"
            case "—", "–", "─", "━", "‐": out += "-"
            case "…": out += "..."
            case "“", "”", "«", "»": out += "\""
            case "‘", "’": out += "'"
            case "×": out += "x"
            case "≈": out += "~"
            case "≤": out += "<="
            case "≥": out += ">="
            case "·", "•", "●": out += "*"
            case "│", "┃": out += "|"
            case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": out += "+"
            case "▶", "►": out += ">"
            default: out += "?"
            }
        }
        return out
    }
}

extension Glyphs {
    /// The worker timeline's cells: asleep, in epoll_wait, BLOCKED; a wakeup's mark under a cell, and
    /// the selected column's mark on the time axis.
    var timelineIdle: Character { self == .ascii ? "." : "·" }
    var timelineEpoll: Character { "~" }
    var timelineBlocked: Character { self == .ascii ? "#" : "█" }
    var timelineWakeup: Character { self == .ascii ? "^" : "↑" }
    /// Marks rows of a list that are above its window.
    var above: Character { self == .ascii ? "^" : "↑" }
    var timelineCursor: Character { self == .ascii ? "v" : "▼" }
}
