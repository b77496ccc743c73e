// hello: spawns named tasks on the runviz runtime, awaits them, sleeps on its timers, and prints
// what they returned. Exits 1 with one line if the runtime cannot start.

import Glibc
import RunvizRuntime

let runtime: Runtime
do { runtime = try Runtime(RuntimeConfiguration(workers: 2)) } catch {
    print("hello: \(error)")
    exit(1)
}
let sum = try runtime.blockOn {
    let parts = (1...6).map { n in
        runtime.spawn(name: "part-\(n)") {
            try await runtime.sleep(for: .milliseconds(10 * n))
            return n
        }
    }
    var total = 0
    for part in parts { total += try await part.value }
    return total * 2
}
print("hello: 6 tasks on \(runtime.configuration.workers) workers returned \(sum)")
runtime.shutdown()
