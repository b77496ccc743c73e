// The process as the kernel reports it: resident and virtual memory and threads from
// /proc/self/status, CPU time of the process and of the calling thread, turned into per-second rates.

import CRunvizLinux

/// Samples the process as the kernel reports it: memory and threads now, CPU rates over the last second.
public struct ProcessProbe {
    private var lastAt = runviz_now_ns()
    private var lastCPU = runviz_process_cpu_ns()
    private var lastThreadCPU = runviz_thread_cpu_ns()
    private var cpuPercent = 0.0
    private var threadPercent = 0.0

    public init() {}

    /// Reads memory now; CPU rates refresh at most once a second.
    public mutating func sample() -> ProcessSnapshot {
        var rss: UInt64 = 0
        var vsz: UInt64 = 0
        var threads: Int32 = 0
        _ = runviz_process_memory(&rss, &vsz, &threads)
        let now = runviz_now_ns()
        if now &- lastAt >= 1_000_000_000 {
            let cpu = runviz_process_cpu_ns()
            let threadCPU = runviz_thread_cpu_ns()
            let dt = Double(now &- lastAt)
            cpuPercent = Double(cpu &- lastCPU) / dt * 100
            threadPercent = Double(threadCPU &- lastThreadCPU) / dt * 100
            lastAt = now
            lastCPU = cpu
            lastThreadCPU = threadCPU
        }
        return ProcessSnapshot(
            residentBytes: rss, virtualBytes: vsz, threads: Int(threads), cpuPercent: cpuPercent,
            uiCPUPercent: threadPercent)
    }
}
