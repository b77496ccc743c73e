// What the blocking pool costs in memory: a runtime allowed 4,096 pool threads (keep-alive 1 s) runs
// JOBS concurrent `spawnBlocking` jobs of JOB_MS each, all submitted at once, so the pool grows to
// about JOBS threads; the process's VmRSS (/proc/self/status) is read before, every 10 ms during,
// and after the threads have exited on their keep-alive. Scripts/bench-blocking-memory.sh runs it
// in repeated processes and summarises. Modes (the first argument):
//   watched     events on, and the runtime's observer (`RuntimeObserver`, no sinks) drains the
//               rings every 50 ms, as `runtime.watch()` or the dashboard does
//   unwatched   events on, nobody drains the rings
//   quiet       `instrumentation: false`
// One line: `RESULT mode=… jobs=… baseline_kib=… peak_kib=… hwm_kib=… after_kib=… threads_peak=…
// rings_during=… rings_after=… dropped=…` (peak: the highest VmRSS sampled during the jobs; hwm:
// the kernel's VmHWM at the end, the peak it saw; rings: event rings the hub lists; dropped: events
// the rings had no room for).
//
//   BlockingMemoryBench watched|unwatched|quiet [--jobs N] [--job-ms MS]

import Glibc
import RunvizLock
import RunvizRuntime
import RunvizSystem
import RunvizWatch
import Synchronization

/// A field of /proc/self/status, in KiB.
func statusKiB(_ field: String) -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0, let line {
        let text = String(cString: line)
        if text.hasPrefix(field + ":") {
            return Int(text.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
        }
    }
    return 0
}

func sleepMillis(_ ms: Int) { usleep(useconds_t(ms * 1000)) }

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]) else {
        return fallback
    }
    return n
}
let mode = arguments.first ?? "watched"
guard ["watched", "unwatched", "quiet"].contains(mode) else {
    print("usage: BlockingMemoryBench watched|unwatched|quiet [--jobs N] [--job-ms MS]")
    exit(2)
}
let jobs = option("--jobs", 500)
let jobMillis = option("--job-ms", 300)

print(try measure(mode: mode, jobs: jobs, jobMillis: jobMillis))

/// One run of the jobs; the RESULT line.
func measure(mode: String, jobs: Int, jobMillis: Int) throws -> String {
    let runtime = try Runtime(
        RuntimeConfiguration(
            workers: 2, maxBlockingThreads: 4096, blockingKeepAlive: .seconds(1), instrumentation: mode != "quiet"))
    let observer = mode == "watched" ? try RuntimeObserver(runtime: runtime, sinks: []) : nil
    // Every task and code path the jobs use, once, so the baseline includes what any first use maps.
    _ = try runtime.blockOn { try await runtime.spawnBlocking { usleep(1000) } }
    let firstExit = (0..<500).contains { _ in
        sleepMillis(10)
        return runtime.telemetry.readCounters().blockingPool.threads == 0
    }
    guard firstExit else {
        print("the warm-up's pool thread did not exit")
        exit(1)
    }
    sleepMillis(200)
    let baseline = statusKiB("VmRSS")
    guard baseline > 0 else {
        print("no VmRSS in /proc/self/status")
        exit(1)
    }

    let sampling = Atomic<Bool>(true)
    let peak = Atomic<Int>(0)
    let threadsPeak = Atomic<Int>(0)
    let sampler = try OSThread.start(name: "rss-sampler") {
        while sampling.load(ordering: .relaxed) {
            peak.max(statusKiB("VmRSS"), ordering: .relaxed)
            threadsPeak.max(runtime.telemetry.readCounters().blockingPool.threads, ordering: .relaxed)
            sleepMillis(10)
        }
    }
    let ringsDuring = Atomic<Int>(0)
    try runtime.blockOn {
        let handles = (0..<jobs).map { _ in
            runtime.spawn(name: "job") { try await runtime.spawnBlocking { usleep(useconds_t(jobMillis * 1000)) } }
        }
        // Halfway through the jobs every thread is busy.
        try await runtime.sleep(for: .milliseconds(jobMillis / 2))
        ringsDuring.store(runtime.telemetry.rings.count, ordering: .relaxed)
        for handle in handles { try await handle.value }
    }
    sampling.store(false, ordering: .relaxed)
    sampler.join()

    let exited = (0..<1000).contains { _ in
        sleepMillis(10)
        return runtime.telemetry.readCounters().blockingPool.threads == 0
    }
    // A few observer turns after the last exit.
    sleepMillis(300)
    let after = statusKiB("VmRSS")
    let ringsAfter = runtime.telemetry.rings.count
    let dropped = runtime.telemetry.dropped
    observer?.stop()
    runtime.shutdown()
    guard exited else {
        print("the pool's threads did not exit on their keep-alive")
        exit(1)
    }
    let sampled = "peak_kib=\(peak.load(ordering: .relaxed)) hwm_kib=\(statusKiB("VmHWM")) after_kib=\(after)"
    let threads = threadsPeak.load(ordering: .relaxed)
    let pool = "threads_peak=\(threads) rings_during=\(ringsDuring.load(ordering: .relaxed)) rings_after=\(ringsAfter)"
    return "RESULT mode=\(mode) jobs=\(jobs) baseline_kib=\(baseline) \(sampled) \(pool) dropped=\(dropped)"
}
