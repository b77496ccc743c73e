// What the CLI says to the user on stderr, written as given (UTF-8, no newline added) with write(2),
// unbuffered as stderr is, so the commands need no Foundation for it. A failure drops the rest of the
// text (stderr is gone; nothing to tell).

import RunvizSystem

enum StandardError {
    /// Writes `text` to stderr, whole unless stderr fails.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in try? Posix.writeAll(2, UnsafeRawBufferPointer(bytes)) }
    }
}
