// An ordinary Swift concurrency program with no runviz line — named tasks, an actor, a task group,
// `Task.sleep` — for `runviz run` to watch unmodified (Tests/e2e/run.sh). Each round a named
// "producer" task sends items to an actor from a task group of "packer" children, a "ticker" sleeps
// between rounds; it prints one line a round, `plain: round N, M packed on THREAD`, where THREAD is
// the thread that ran the round (a runviz worker is "runviz-w…"), and its own children's view of
// LD_PRELOAD (a child's shell prints it). Runs `--rounds N` rounds (default: until stopped); exits 0, or with `--exit-code N`.

import Foundation

actor Packer {
    private(set) var packed = 0
    func pack(_ count: Int) { packed += count }
}

/// One line on stdout, unbuffered: the log `runviz run` keeps must have it at once.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func threadName() -> String {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
}

var rounds = Int.max
var exitCode: Int32 = 0
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch (flag, arguments.popFirst().flatMap { Int($0) }) {
    case ("--rounds", let value?): rounds = value
    case ("--exit-code", let value?): exitCode = Int32(value)
    default:
        FileHandle.standardError.write(
            "plain: usage: PlainAsyncProgram [--rounds N] [--exit-code N]\n".data(using: .utf8)!)
        exit(64)
    }
}

// What a child of this program inherits: `runviz run` must not preload itself into it.
let child = Process()
child.executableURL = URL(fileURLWithPath: "/bin/sh")
child.arguments = ["-c", "echo \"plain: my child sees LD_PRELOAD='$LD_PRELOAD'\""]
try child.run()
child.waitUntilExit()
let packer = Packer()
var round = 0
while round < rounds {
    round += 1
    let thread = await Task.detached(name: "producer \(round)") {
        await withTaskGroup(of: Void.self) { group in
            for item in 0..<4 {
                group.addTask(name: "packer \(item)") {
                    try? await Task.sleep(for: .milliseconds(20 * (item + 1)))
                    await packer.pack(1)
                }
            }
        }
        return threadName()
    }.value
    await Task.detached(name: "ticker") { try? await Task.sleep(for: .milliseconds(200)) }.value
    say("plain: round \(round), \(await packer.packed) packed on \(thread)")
}
exit(exitCode)
