// The build-time tool of the EmbedLessons plugin: `LessonEmbedder OUTPUT LESSON.md…` writes OUTPUT,
// a Swift file holding each lesson's text under its id (the file name without `.md`) in
// `EmbeddedLessons.texts`. Every character outside printable ASCII is written as an escape, so
// the literal reads back byte for byte whatever the Markdown holds. A lesson that cannot be read
// or is not UTF-8 fails the build with one line naming the file.

import Foundation

@main
enum LessonEmbedder {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let output = arguments.first else { fail("usage: LessonEmbedder OUTPUT LESSON.md...") }
        var entries: [String] = []
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
            guard let text = String(data: data, encoding: .utf8) else { fail("\(path) is not UTF-8") }
            let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            entries.append("        \(literal(id)): \(literal(text)),")
        }
        let source =
            """
            // Generated at build time from Assets/lessons by the EmbedLessons plugin: edit the Markdown, not this.

            enum EmbeddedLessons {
                /// Lesson id → its Markdown text, as in Assets/lessons when this binary was built.
                static let texts: [String: String] = [
            \(entries.isEmpty ? "        :" : entries.joined(separator: "\n"))
                ]
            }

            """
        do {
            try source.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            fail("cannot write \(output): \(error)")
        }
    }

    /// `text` as a one-line Swift string literal.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out + "\""
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("LessonEmbedder: \(message)\n".utf8))
        exit(1)
    }
}
