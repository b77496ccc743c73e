// LoadCommand: `runviz load` — drive an echo server with verified TCP clients and print what came back.
//
// The load runs on RunvizLoad's own epoll threads, never on the runviz runtime, so it is an independent
// check of the server. Exit status: 0 when every byte came back right and nothing failed; 1 when any
// error was counted, or when the server could not be reached at all (one line on stderr says why).

import ArgumentParser
import Glibc
import RunvizLoad

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Drive an echo server with verified TCP clients; report round trips, latency and errors.",
        discussion: """
            Every echoed byte is compared with what was sent (payloads differ per client and per message). \
            Scenarios: \(LoadScenario.allCases.map { "\($0.name) (\($0.explanation))" }.joined(separator: "; ")).
            """)

    @Option(name: .customLong("connect"), help: ArgumentHelp("Echo server address.", valueName: "host:port"))
    var connect = "127.0.0.1:\(LoadOptions.defaultPort)"

    @Option(help: "Concurrent clients, one connection each (1…\(LoadOptions.maxClients)).")
    var clients = 100

    @Option(help: "Bytes per message (1…\(LoadOptions.maxSize)).")
    var size = 64

    @Option(help: "Messages per second per client; 0 = as fast as echoes return.")
    var rate: Double = 0

    @Option(help: "Seconds of load (default \(Int(LoadOptions.defaultDuration)); with --count, a time limit).")
    var duration: Double?

    @Option(help: "Round trips per client; the run ends when all are done.")
    var count: Int?

    @Option(help: "Seconds over which the clients connect.")
    var ramp: Double = 0

    @Option(help: ArgumentHelp("Traffic pattern.", valueName: LoadScenario.allCases.map(\.name).joined(separator: "|")))
    var scenario = LoadScenario.steady.name

    @Option(help: "Load threads (default: one per two cores).")
    var threads: Int?

    func validate() throws {
        _ = try makeOptions()
    }

    func run() throws {
        let options = try makeOptions()
        let generator = LoadGenerator(options)
        LoadGenerator.stopOnInterrupt()
        let line = ProgressLine()
        let report: LoadReport
        do {
            report = try generator.run { line.show($0) }
        } catch {
            line.clear()
            let message = Array("\(error)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode(1)
        }
        line.clear()
        print(report.summary)
        if report.hasErrors { throw ExitCode(1) }
    }

    /// Options from the flags; every range problem becomes a one-line ValidationError.
    func makeOptions() throws -> LoadOptions {
        guard let scenario = LoadScenario(rawValue: scenario) else {
            let names = LoadScenario.allCases.map(\.name).joined(separator: ", ")
            throw ValidationError("--scenario must be one of \(names) (got \"\(self.scenario)\")")
        }
        do {
            let (host, port) = try LoadOptions.parseAddress(connect)
            let options = LoadOptions(
                host: host, port: port, clients: clients, size: size, rate: rate == 0 ? nil : rate,
                duration: duration, count: count, ramp: ramp, scenario: scenario, threads: threads)
            try options.validate()
            return options
        } catch {
            if case .invalidOption(let name, let problem) = error {
                throw ValidationError("--\(name) \(problem)")
            }
            throw ValidationError(error.description)
        }
    }
}
