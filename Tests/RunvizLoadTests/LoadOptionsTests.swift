// LoadOptionsTests: range checks give one-line errors naming the option; addresses parse in their forms.

import Testing

@testable import RunvizLoad

@Suite struct LoadOptionsTests {
    func problem(_ options: LoadOptions) -> String? {
        do {
            try options.validate()
            return nil
        } catch {
            guard case .invalidOption(let name, let problem) = error else { return "\(error)" }
            return "\(name) \(problem)"
        }
    }

    @Test func defaultsAreValid() {
        #expect(problem(LoadOptions()) == nil)
        #expect(LoadOptions().timeLimit == 10)
        #expect(LoadOptions(count: 5).timeLimit == 60)
    }

    @Test func clientsOutOfRangeAreRejected() {
        #expect(problem(LoadOptions(clients: 0)) == "clients must be between 1 and 10000 (got 0)")
        #expect(problem(LoadOptions(clients: 10_001)) == "clients must be between 1 and 10000 (got 10001)")
        #expect(problem(LoadOptions(clients: 10_000)) == nil)
    }

    @Test func sizeZeroIsRejected() {
        #expect(problem(LoadOptions(size: 0)) == "size must be between 1 and 16777216 bytes (got 0)")
        #expect(problem(LoadOptions(size: 16 << 20)) == nil)
    }

    @Test func otherRangesAreRejected() {
        #expect(problem(LoadOptions(rate: 0))?.hasPrefix("rate ") == true)
        #expect(problem(LoadOptions(duration: -1))?.hasPrefix("duration ") == true)
        #expect(problem(LoadOptions(count: 0))?.hasPrefix("count ") == true)
        #expect(problem(LoadOptions(threads: 0))?.hasPrefix("threads ") == true)
        #expect(problem(LoadOptions(duration: 2, ramp: 5))?.hasPrefix("ramp ") == true)
        #expect(problem(LoadOptions(port: 70_000))?.hasPrefix("port ") == true)
    }

    @Test func oversizeImpliesOneSixteenMebibyteMessage() {
        let options = LoadOptions(size: 64, scenario: .oversize)
        #expect(options.messageSize == 16 << 20)
        #expect(options.effectiveCount == 1)
    }

    @Test func addressesParse() throws {
        #expect(try LoadOptions.parseAddress("127.0.0.1:7878") == ("127.0.0.1", 7878))
        #expect(try LoadOptions.parseAddress("localhost:80") == ("localhost", 80))
        #expect(try LoadOptions.parseAddress("[::1]:9000") == ("::1", 9000))
        #expect(try LoadOptions.parseAddress("7000") == ("127.0.0.1", 7000))
        #expect(throws: LoadError.self) { try LoadOptions.parseAddress("host:") }
        #expect(throws: LoadError.self) { try LoadOptions.parseAddress("::1:80") }
        #expect(throws: LoadError.self) { try LoadOptions.parseAddress("host:99999") }
    }

    @Test func scenarioNamesAreTheCommandLineSpelling() {
        #expect(LoadScenario(rawValue: "slow-reader") == .slowReader)
        #expect(LoadScenario(rawValue: "half-close") == .halfClose)
        #expect(
            LoadScenario.allCases.map(\.name) == ["steady", "churn", "slow-reader", "reset", "half-close", "oversize"])
    }

    @Test func fileLimitErrorSaysWhatToDo() {
        let text = LoadError.fileLimitTooLow(needed: 10_064, hardLimit: 4_096).description
        #expect(text.contains("10064") && text.contains("4096") && text.contains("ulimit -n"))
    }
}
