// What the CLI says to the user on stderr, written as given (UTF-8, no newline added) with write(2),
// unbuffered as stderr is, so the commands need no Foundation for it. A short write is continued and
// EINTR retried; any other failure drops the rest of the text (stderr is gone; nothing to tell).

import Glibc

enum StandardError {
    /// Writes `text` to stderr, whole unless stderr fails.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
