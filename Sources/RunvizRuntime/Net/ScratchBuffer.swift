// One 64 KiB buffer per thread, for reading bytes that are written back within the same job (the
// echo fast path). A connection therefore holds no buffer while it is idle; it copies bytes into a
// buffer of its own only when a write would block. Never hold the scratch buffer across an await:
// the task may resume on another thread, and another task may use this one's buffer meanwhile.

import CRunvizLinux

/// A 64 KiB buffer per thread, for reads whose bytes are used within the current job only (an
/// echo, a parse) and so need no buffer per connection.
package enum ScratchBuffer {
    /// Bytes in each thread's buffer.
    package static let size = 64 * 1024

    /// The calling thread's scratch buffer (allocated on first use, kept for the thread's life).
    package static var current: UnsafeMutableRawBufferPointer {
        if let raw = runviz_tls_get(Int32(RUNVIZ_TLS_SCRATCH)) {
            return UnsafeMutableRawBufferPointer(start: raw, count: size)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        runviz_tls_set(Int32(RUNVIZ_TLS_SCRATCH), buffer.baseAddress)
        return buffer
    }
}

extension ScratchBuffer {
    /// Frees the calling thread's buffer (a worker, on exit).
    static func release() {
        guard let raw = runviz_tls_get(Int32(RUNVIZ_TLS_SCRATCH)) else { return }
        UnsafeMutableRawBufferPointer(start: raw, count: size).deallocate()
        runviz_tls_set(Int32(RUNVIZ_TLS_SCRATCH), nil)
    }
}
