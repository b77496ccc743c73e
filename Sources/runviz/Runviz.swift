// The `runviz` command: subcommands wire the runtime, the echo server, the load generator and the
// dashboard together. Data flows one way: runtime → events → Aggregator → snapshot → screen.

import ArgumentParser

@main
struct Runviz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runviz",
        abstract: "Watch an async runtime work: an instrumented executor running a TCP echo server, live.",
        subcommands: [
            LaunchCommand.self, ServeCommand.self, LoadCommand.self, BenchCommand.self, ReplayCommand.self,
            ExportCommand.self, AttachCommand.self, RunCommand.self,
        ],
        defaultSubcommand: nil)
}
