// The Swift half of librunvizinject.so, the library `runviz run` preloads into an unmodified Swift
// program: called once by its constructor (CRunvizInject), before the program's main, it installs
// runviz as the process's global executor and serves its telemetry on the private Unix socket
// `runviz run` named, exactly as the one-line install plus `watch(telemetry:)` would. It runs with
// the default configuration and events on. A failure (the socket cannot be bound, another executor
// took over) is one line on stderr and exit 125: the program is not run half-watched.

import Glibc
import RunvizRuntime
import RunvizWatch
import RunvizWire

/// The exit status of a program `runviz run` could not watch, as the constructor's.
private let refusedStatus: Int32 = 125

@_cdecl("runviz_inject_start")
func runvizInjectStart(_ socketPath: UnsafePointer<CChar>) {
    let path = String(cString: socketPath)
    do {
        let runtime = try Runtime.installAsGlobalExecutor()
        try runtime.watch(telemetry: .unix(path: path), telemetryFromEnvironment: false)
    } catch {
        let line = "runviz: cannot watch this program: \(error)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        _exit(refusedStatus)
    }
}
