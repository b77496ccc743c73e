// Being watched in one line: `runtime.watch()` with nothing named starts no observer; a Watch is
// stopped by the runtime's shutdown (its hook runs before any task is cancelled); a runtime that has
// shut down cannot be watched; and the hooks run newest first, once.

import Glibc
import RunvizLock
import RunvizRuntime
import RunvizWatch
import RunvizWire
import Testing

@Suite struct WatchTests {
    @Test func nothingNamedStartsNoObserver() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        defer { runtime.shutdown() }
        let watch = try runtime.watch(telemetryFromEnvironment: false)
        #expect(!watch.isObserving)
        #expect(watch.telemetryEndpoint == nil && watch.metricsAddress == nil)
    }

    @Test func theRuntimesShutdownStopsItsWatch() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        let watch = try runtime.watch(telemetry: .unix(path: "/tmp/runviz-watch-\(getpid()).sock"))
        #expect(watch.isObserving)
        runtime.shutdown()
        #expect(!watch.isObserving)
        #expect(watch.telemetryEndpoint == nil)
    }

    @Test func aShutDownRuntimeCannotBeWatched() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        runtime.shutdown()
        #expect(throws: RuntimeError.shutDown) { try runtime.watch(telemetryFromEnvironment: false) }
    }

    @Test func shutdownHooksRunNewestFirstBeforeTasksAreCancelledAndOnce() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1))
        let order = Lock<[String]>([])
        let sleeper = runtime.spawn(name: "sleeper") {
            do { try await runtime.sleep(for: .seconds(30)) } catch { order.withLock { $0.append("task cancelled") } }
        }
        #expect(runtime.onShutdown { order.withLock { $0.append("first") } })
        #expect(runtime.onShutdown { order.withLock { $0.append("second") } })
        runtime.shutdown()
        runtime.shutdown()
        _ = sleeper
        #expect(order.withLock { $0 } == ["second", "first", "task cancelled"])
        #expect(!runtime.onShutdown { order.withLock { $0.append("late") } })
        #expect(order.withLock { $0 }.count == 3)
    }
}
