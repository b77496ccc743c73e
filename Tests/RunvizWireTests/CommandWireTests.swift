// The command frame's payload: every Command survives the round trip, and bytes from nowhere
// (random, truncated, over-long, out-of-range counts) decode to nil instead of trapping.

import RunvizObservation
import RunvizTelemetry
import RunvizWire
import Testing

@Suite struct CommandWireTests {
    static let all: [Command] = [
        .spawnTasks(count: 1), .spawnTasks(count: 100), .blockWorker, .blockOnPool, .addClients(20), .removeClients(5),
        .joinDemo, .lockDemo(blocking: true), .lockDemo(blocking: false), .channelDemo, .toggleServerMode, .lazyDemo,
        .follow(TaskID(0xDEAD_BEEF_0042)), .follow(nil), .toggleInstrumentation,
    ]

    @Test func everyCommandRoundTrips() {
        for command in Self.all {
            #expect(Command(wireBytes: command.wireBytes) == command)
            #expect(command.wireBytes.count <= 32)
        }
        #expect(Command.blockWorker.wireBytes == [2])
        #expect(Command.spawnTasks(count: 100).wireBytes == [1, 100, 0, 0, 0])
    }

    @Test func malformedPayloadsAreNil() {
        #expect(Command(wireBytes: []) == nil)
        #expect(Command(wireBytes: [0]) == nil)
        #expect(Command(wireBytes: [2, 0]) == nil, "a trailing byte")
        #expect(Command(wireBytes: [1, 1, 0]) == nil, "a cut count")
        #expect(Command(wireBytes: [1, 0xFF, 0xFF, 0xFF, 0xFF]) == nil, "a count out of range")
        #expect(Command(wireBytes: [7, 2]) == nil, "a bad boolean")
        #expect(Command(wireBytes: [11, 1, 1]) == nil, "a cut task id")
        #expect(Command(wireBytes: [200]) == nil)
        var generator = SystemRandomNumberGenerator()
        var decoded = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if let command = Command(wireBytes: bytes) {
                decoded += 1
                #expect(command.wireBytes == bytes, "only canonical bytes decode")
            }
        }
        #expect(decoded < 20_000)
    }
}
