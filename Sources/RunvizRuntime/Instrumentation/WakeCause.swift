// Why the next enqueue on this thread happens, kept in a thread-local word so the executor's
// `enqueue` (called by Swift's runtime, with no room for context) can record it. A waker sets the
// cause around `continuation.resume()`; the executor reads it. Encoding: source in the top byte,
// argument (fd, task id, deadline) in the low 56 bits; 0 means "no cause known".

import CRunvizLinux
import RunvizTelemetry

enum WakeCause {
    @inline(__always)
    static func encode(_ source: WakeSource, _ argument: UInt64) -> UInt64 {
        (UInt64(source.rawValue) + 1) << 56 | (argument & 0x00FF_FFFF_FFFF_FFFF)
    }

    @inline(__always)
    static var current: (source: WakeSource, argument: UInt64)? {
        let word = runviz_tls_word_get(Int32(RUNVIZ_TLS_CAUSE))
        guard word != 0 else { return nil }
        let source = WakeSource(rawValue: UInt8(word >> 56) - 1) ?? .other
        return (source, word & 0x00FF_FFFF_FFFF_FFFF)
    }

    @inline(__always)
    static func set(_ source: WakeSource, _ argument: UInt64 = 0) {
        runviz_tls_word_set(Int32(RUNVIZ_TLS_CAUSE), encode(source, argument))
    }

    @inline(__always)
    static func clear() { runviz_tls_word_set(Int32(RUNVIZ_TLS_CAUSE), 0) }

    /// Runs `body` (which resumes continuations) with `source` as the recorded reason, then restores the previous one.
    @inline(__always)
    static func with<R>(_ source: WakeSource, _ argument: UInt64 = 0, _ body: () throws -> R) rethrows -> R {
        let saved = runviz_tls_word_get(Int32(RUNVIZ_TLS_CAUSE))
        runviz_tls_word_set(Int32(RUNVIZ_TLS_CAUSE), encode(source, argument))
        defer { runviz_tls_word_set(Int32(RUNVIZ_TLS_CAUSE), saved) }
        return try body()
    }
}
