// hummingbird-app [--port N] [--no-events] [--default-executor]
//
// A Hummingbird 2 web server, written with nothing of runviz's: its handlers are ordinary Swift
// concurrency. `GET /` answers at once; `GET /sleep?ms=N` awaits `Task.sleep` for N ms;
// `GET /fanout?n=N` runs a task group of N children and sums their answers; `GET /block?ms=N` calls
// `usleep` on the thread running the handler for N ms — the pitfall of a blocking call on an async
// worker, on purpose. A query value missing or out of range is a 400 with one line. The first line
// of its `async main` puts every job of the server on runviz (`Runtime.installAsGlobalExecutor`);
// the second makes it watchable (`runtime.watch()`: set RUNVIZ_TELEMETRY, for example to
// 127.0.0.1:6670, and run `runviz attach 127.0.0.1:6670` in another terminal). `--no-events`
// installs runviz with event recording off (its counters still run), `--default-executor` skips
// both lines: the two are there to measure what runviz costs. Serves on 127.0.0.1 until SIGINT or
// SIGTERM; SwiftNIO's event-loop threads do the sockets either way.

import Glibc
import Hummingbird
import RunvizRuntime
import RunvizWatch

struct Options {
    var port = 8080
    var onRunviz = true
    var events = true

    static let usage = "usage: hummingbird-app [--port N] [--no-events] [--default-executor]"

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func fail(_ message: String) -> Never {
            say("hummingbird-app: \(message)", to: 2)
            exit(64)
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--port":
                guard let n = rest.popFirst().flatMap({ Int($0) }), (0...65_535).contains(n) else {
                    fail("--port must be 0…65535")
                }
                port = n
            case "--no-events": events = false
            case "--default-executor": onRunviz = false
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default: fail("unknown option \(flag) (\(Self.usage))")
            }
        }
    }
}

/// One line to fd 1 (or `fd`), unbuffered, so a pipe sees it at once.
func say(_ line: String, to fd: Int32 = 1) {
    var text = line + "\n"
    text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

/// A plain-text response of one line.
func line(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status, headers: [.contentType: "text/plain; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
}

/// The integer query parameter `name` of `request` when it lies in `range`; nil otherwise.
func query(_ request: Request, _ name: String, in range: ClosedRange<Int>) -> Int? {
    guard let value = request.uri.queryParameters.get(name).flatMap({ Int($0) }), range.contains(value) else {
        return nil
    }
    return value
}

func routes() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/") { _, _ in line("hello from hummingbird") }
    router.get("/sleep") { request, _ in
        guard let ms = query(request, "ms", in: 0...60_000) else {
            return line("ms must be 0…60000", status: .badRequest)
        }
        try await Task.sleep(for: .milliseconds(ms))
        return line("slept \(ms) ms")
    }
    router.get("/fanout") { request, _ in
        guard let n = query(request, "n", in: 1...10_000) else { return line("n must be 1…10000", status: .badRequest) }
        let sum = await withTaskGroup(of: Int.self) { group in
            for child in 1...n {
                group.addTask {
                    await Task.yield()
                    return child
                }
            }
            return await group.reduce(0, +)
        }
        return line("\(n) children, sum \(sum)")
    }
    router.get("/block") { request, _ in
        guard let ms = query(request, "ms", in: 0...10_000) else {
            return line("ms must be 0…10000", status: .badRequest)
        }
        usleep(UInt32(ms) * 1000)  // blocks the thread that runs this handler: the pitfall
        return line("blocked \(ms) ms")
    }
    return router
}

@main struct HummingbirdApp {
    static func main() async throws {
        let options = Options(Array(CommandLine.arguments.dropFirst()))
        var runtime: Runtime?
        if options.onRunviz {
            // The two lines: every job of this server on runviz's workers, and watchable.
            runtime = try Runtime.installAsGlobalExecutor(RuntimeConfiguration(instrumentation: options.events))
            try runtime?.watch()
        }
        let executor = options.onRunviz ? (options.events ? "runviz" : "runviz, events off") : "the default executor"
        let app = Application(
            router: routes(),
            configuration: .init(address: .hostname("127.0.0.1", port: options.port)),
            onServerRunning: { channel in
                say("hummingbird-app: serving http://127.0.0.1:\(channel.localAddress?.port ?? 0) on \(executor)")
            })
        try await app.runService()
        runtime?.shutdown()
    }
}
