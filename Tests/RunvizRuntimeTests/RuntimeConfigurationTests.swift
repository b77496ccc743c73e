// Facts about configuration checks: a value out of range, however large, is a thrown error that
// names the setting, never a trap in the arithmetic that would have used it.

import Testing

@testable import RunvizRuntime

@Suite struct RuntimeConfigurationTests {
    @Test(arguments: [Duration.seconds(Int64.max), .seconds(10_000_000_000), .seconds(86_401)])
    func aKeepAliveTooLongIsRejected(_ keepAlive: Duration) {
        let configuration = RuntimeConfiguration(workers: 1, blockingKeepAlive: keepAlive)
        #expect(
            throws: RuntimeError.invalidSetting(
                .blockingKeepAlive, "must be at most 86400 s (got \(keepAlive.components.seconds) s)")
        ) { try Runtime(configuration) }
    }

    @Test func aDayOfKeepAliveIsAccepted() throws {
        let runtime = try Runtime(RuntimeConfiguration(workers: 1, blockingKeepAlive: .seconds(86_400)))
        runtime.shutdown()
    }

    @Test func aHugeBlockedThresholdIsRejectedInSeconds() {
        #expect(
            throws: RuntimeError.invalidSetting(
                .blockedThreshold, "must be more than 0 and at most 60 s (got \(Int64.max) s)")
        ) { try RuntimeConfiguration(workers: 1, blockedThreshold: .seconds(Int64.max)).validate() }
    }
}
