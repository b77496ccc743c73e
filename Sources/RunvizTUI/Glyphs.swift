// Every non-ASCII character the dashboard draws, in one place, with its ASCII stand-in for
// `--ascii` (terminals or fonts without Unicode). Panels never write a non-ASCII literal: they ask
// for a glyph here. Every glyph is one column wide.

struct Glyphs: Equatable, Sendable {
    /// Eight levels, lowest first.
    let sparkline: [Character]
    let arrow: String
    let separator: String
    let ellipsis: String
    let horizontal: Character
    let vertical: Character
    let topLeft: Character
    let topRight: Character
    let bottomLeft: Character
    let bottomRight: Character
    /// Marks the focused panel's title and the current step.
    let pointer: String
    let warning: String
    let micro: String
    let times: String
    let atMost: String
    let atLeast: String
    let approximately: String
    let upDown: String
    let leftRight: String
    let right: String
    let left: String
    let workerRunning: String
    let workerSearching: String
    let workerParked: String
    let workerInDriver: String
    let workerBlocked: String
    let workerStopped: String
    /// Starts an item of a list in a lesson.
    let bullet: String
    /// The header's mark for a view rewound into the past.
    let rewound: String
    /// The header's mark while a recording is written.
    let recording: String

    static let unicode = Glyphs(
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], arrow: "→", separator: "·", ellipsis: "…",
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        pointer: "▶", warning: "▲", micro: "µ", times: "×", atMost: "≤", atLeast: "≥", approximately: "≈",
        upDown: "↑↓", leftRight: "←→", right: "→", left: "←", workerRunning: "●", workerSearching: "◐",
        workerParked: "○", workerInDriver: "◎", workerBlocked: "■", workerStopped: "×", bullet: "•",
        rewound: "◀", recording: "●"
    )

    static let ascii = Glyphs(
        sparkline: [" ", ".", ":", "-", "=", "+", "*", "#"], arrow: "->", separator: "|", ellipsis: "...",
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        pointer: ">", warning: "!", micro: "u", times: "x", atMost: "<=", atLeast: ">=", approximately: "~",
        upDown: "Up/Dn", leftRight: "Left/Right", right: "Right", left: "Left", workerRunning: "*",
        workerSearching: "~", workerParked: "-", workerInDriver: "=", workerBlocked: "#", workerStopped: "x",
        bullet: "*", rewound: "<<", recording: "(o)"
    )

    static func forMode(ascii: Bool) -> Glyphs { ascii ? .ascii : .unicode }

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
