// ProgressLine: one live status line on a terminal, rewritten in place with `\r` and erase-to-end-of-line.
// When stdout is not a TTY (a pipe, a file, a test) it writes nothing, so logs stay clean.
//
// Writes go straight to file descriptor 1 (no stdio buffer) so the line appears at once.

import Glibc
import RunvizSystem

/// A single self-overwriting progress line on stdout, only when stdout is a terminal.
public struct ProgressLine: Sendable {
    /// False when stdout is not a terminal: every call is then a no-op.
    public let isEnabled: Bool

    public init(isEnabled: Bool = ProgressLine.stdoutIsTerminal) {
        self.isEnabled = isEnabled
    }

    /// True when file descriptor 1 is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Replaces the line with `progress.line`.
    public func show(_ progress: LoadProgress) {
        show(progress.line)
    }

    /// Replaces the line with `text`.
    public func show(_ text: String) {
        guard isEnabled else { return }
        emit("\r" + text + "\u{1B}[K")
    }

    /// Erases the line so the next output starts at column 0.
    public func clear() {
        guard isEnabled else { return }
        emit("\r\u{1B}[K")
    }

    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in try? Posix.writeAll(STDOUT_FILENO, UnsafeRawBufferPointer(bytes)) }
    }
}
