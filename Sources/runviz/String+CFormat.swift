// printf's number formats for the CLI's report lines ("%.1f", "%6.2f"), without Foundation: the C
// library's vsnprintf, which Foundation's String(format:) also calls for them, so the digits are the
// same (correctly rounded, padded to the width). The decimal point is LC_NUMERIC's, and that stays
// the "C" locale's: only the dashboard's terminal calls setlocale, and no command prints these
// lines while it is drawing.

import Glibc

extension String {
    /// `format` (a printf format) applied to `arguments`.
    init(cFormat format: String, _ arguments: CVarArg...) {
        var capacity = 128
        while true {
            var bytes = [UInt8](repeating: 0, count: capacity)
            let length = bytes.withUnsafeMutableBytes { buffer in
                withVaList(arguments) {
                    vsnprintf(
                        buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count, format, $0)
                }
            }
            guard length >= 0 else {
                self = ""
                return
            }
            if Int(length) < capacity {
                self = String(decoding: bytes[..<Int(length)], as: UTF8.self)
                return
            }
            capacity = Int(length) + 1
        }
    }
}
