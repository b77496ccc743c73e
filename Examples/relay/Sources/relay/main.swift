// relay [--port N] [--bots N] [--every MS] [--audit off|inline|pool] [--duration S]
//
// Starts a runviz runtime, the relay on 127.0.0.1:PORT and N chatting bots, prints one line of
// counts a second, and stops after --duration seconds (or on Ctrl-C). One line makes it watchable
// (`runtime.watch()`): set RUNVIZ_TELEMETRY (for example to 127.0.0.1:6669) and watch it from
// another terminal with `runviz attach`.

import Glibc
import RunvizRuntime
import RunvizWatch

/// Set by SIGINT or SIGTERM; the main loop stops the runtime and exits.
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

struct Options {
    var port: UInt16 = 7070
    var bots = 8
    var everyMilliseconds = 200
    var audit = Audit.off
    var duration: Double?

    static let usage = "usage: relay [--port N] [--bots N] [--every MS] [--audit off|inline|pool] [--duration S]"

    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        func value(_ flag: String) throws(UsageError) -> String {
            guard let v = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            return v
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--port":
                guard let p = UInt16(try value(flag)) else { throw UsageError("--port must be 0…65535") }
                port = p
            case "--bots":
                guard let n = Int(try value(flag)), (0...10_000).contains(n) else {
                    throw UsageError("--bots must be 0…10000")
                }
                bots = n
            case "--every":
                guard let ms = Int(try value(flag)), (1...60_000).contains(ms) else {
                    throw UsageError("--every must be 1…60000 ms")
                }
                everyMilliseconds = ms
            case "--audit":
                guard let a = Audit(rawValue: try value(flag)) else {
                    throw UsageError("--audit must be off, inline or pool")
                }
                audit = a
            case "--duration":
                guard let s = Double(try value(flag)), s > 0 else { throw UsageError("--duration must be positive") }
                duration = s
            case "-h", "--help":
                say(Self.usage)
                exit(0)
            default:
                throw UsageError("unknown option \(flag)")
            }
        }
    }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Writes one line to a file descriptor at once (1: standard output, 2: standard error).
func say(_ line: String, to fd: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

func fail(_ message: String, status: Int32) -> Never {
    say("relay: \(message)", to: 2)
    exit(status)
}

let options: Options
do { options = try Options(Array(CommandLine.arguments.dropFirst())) } catch {
    fail("\(error.message)\n\(Options.usage)", status: 64)
}

let runtime: Runtime
do { runtime = try Runtime() } catch { fail("\(error)", status: 1) }
do { try runtime.watch() } catch { fail("\(error)", status: 1) }
let relay: Relay
do { relay = try Relay(runtime: runtime, port: options.port, audit: options.audit) } catch {
    fail("cannot listen on 127.0.0.1:\(options.port): \(error) (try another --port)", status: 1)
}
relay.start(tick: .milliseconds(500))
let bots = Bots(runtime: runtime)
bots.start(count: options.bots, port: relay.listener.address.port, every: .milliseconds(options.everyMilliseconds))
say("relay: listening on \(relay.listener.address), \(options.bots) bots, audit \(options.audit.rawValue)", to: 2)

// Counts once a second from this (non-runtime) thread: they keep coming while the workers stall.
signal(SIGINT) { _ in stopRequested = 1 }
signal(SIGTERM) { _ in stopRequested = 1 }
let started = Runtime.now
while stopRequested == 0 {
    sleep(1)
    let seconds = Double(Runtime.now - started) / 1e9
    say(
        "published \(relay.published.load(ordering: .relaxed)) delivered \(relay.delivered.load(ordering: .relaxed))"
            + " bots received \(bots.received.load(ordering: .relaxed)) own \(bots.ownEchoes.load(ordering: .relaxed))"
            + " tasks \(runtime.counters.liveTasks)")
    if let duration = options.duration, seconds >= duration { break }
}
runtime.shutdown()
