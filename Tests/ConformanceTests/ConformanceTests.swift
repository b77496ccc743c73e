// The conformance suite, driven: ConformanceOnDefault (Swift's default executor) and the helpers
// with runviz installed as the global executor (ConformanceOnRunviz from an async main,
// ConformanceOnRunvizSyncMain from a synchronous one) run the same cases (Tests/ConformanceCases)
// as subprocesses, one after the other, each within `limit`. For every case each runviz helper's
// output must equal the default's line for line, and runviz's own checks of that case (its
// `[runviz] …` lines: jobs on runviz's workers, the case's code on them, its sleeps on runviz's
// timer heap) must pass. A missing helper, a hang (named by its case), a crash or a sanitizer
// report from any helper fails.

import ConformanceCases
import Foundation
import Testing

@Suite(.serialized) struct ConformanceTests {
    static let caseNames = Conformance.cases.map(\.name)
    static let reference = "ConformanceOnDefault"
    static let installed = ["ConformanceOnRunviz", "ConformanceOnRunvizSyncMain"]

    /// One run of each helper, shared by the tests that read them (run at the first such test).
    static let runs: [String: Result<HelperRun, any Error>] = Dictionary(
        uniqueKeysWithValues: ([reference] + installed).map { helper in (helper, Result { try run(helper) }) })

    static func output(_ helper: String) throws -> HelperRun { try runs[helper]!.get() }

    @Test func everyHelperRunsEveryCaseToTheEnd() throws {
        for helper in [Self.reference] + Self.installed {
            let run = try Self.output(helper)
            #expect(run.hungIn == nil, "\(helper) hung in case \(run.hungIn ?? "")")
            #expect(run.status == 0, "\(helper) exited \(run.status):\n\(run.stdout)\n\(run.stderr)")
            #expect(run.finished, "\(helper) did not print `== end`")
            #expect(run.order == Self.caseNames, "\(helper) ran \(run.order)")
        }
    }

    @Test func noHelperHasASanitizerReport() throws {
        for helper in [Self.reference] + Self.installed {
            let run = try Self.output(helper)
            let reports = run.stderr.split(separator: "\n").filter { line in
                Self.sanitizerMarkers.contains { line.contains($0) }
            }
            if !reports.isEmpty {
                // Also where Scripts/sanitize.sh counts reports: this process's own output.
                FileHandle.standardError.write(Data("\(helper):\n\(run.stderr)\n".utf8))
            }
            #expect(reports.isEmpty, "\(helper) stderr:\n\(run.stderr)")
        }
    }

    @Test(arguments: installed, caseNames)
    func sameOutputOnRunvizAsOnTheDefaultExecutor(_ helper: String, _ name: String) throws {
        let expected = try #require(try Self.output(Self.reference).sections[name], "no output from \(Self.reference)")
        let lines = try #require(try Self.output(helper).sections[name], "no output from \(helper)")
        let compared = lines.filter { !$0.hasPrefix("[runviz]") }
        #expect(!expected.isEmpty, "the case printed nothing")
        #expect(
            compared == expected,
            "\(name), default executor (-) against \(helper) (+):\n\(Self.diff(expected, compared))")
    }

    @Test(arguments: installed, caseNames)
    func jobsTimersAndCodeRanOnRunviz(_ helper: String, _ name: String) throws {
        let lines = try #require(try Self.output(helper).sections[name], "no output from \(helper)")
        let checks = Dictionary(
            lines.compactMap(RunvizCheck.init).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let sleeps = try #require(Conformance.cases.first { $0.name == name }).completedSleeps
        var expected = ["jobs", "code"]
        if sleeps > 0 { expected.append("timers") }
        #expect(Set(checks.keys) == Set(expected), "checks printed: \(lines.filter { $0.hasPrefix("[runviz]") })")
        for check in expected.compactMap({ checks[$0] }) {
            #expect(check.outcome == "ok", "\(name): \(check)")
        }
    }

    static let sanitizerMarkers = ["WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer"]

    // MARK: running the helpers

    /// One run of a helper: its exit, its output, and its lines by case.
    struct HelperRun {
        let helper: String
        let status: Int32
        let stdout: String
        let stderr: String
        /// The cases' names in the order their headers came.
        var order: [String] = []
        var sections: [String: [String]] = [:]
        var finished = false
        /// The case running when the helper hung (its own watchdog, or this driver's `limit`).
        var hungIn: String?
    }

    /// The longest a whole helper run may take (every case; sanitizer builds are slow).
    static let limit: TimeInterval = 240

    static func run(_ helper: String) throws -> HelperRun {
        guard let path = locate(helper) else { throw HelperNotBuilt(helper: helper) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let timedOut = LockedFlag()
        let killer = DispatchWorkItem {
            timedOut.set()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: killer)
        // Both pipes drained at once, so a helper blocked on a full stderr cannot stall stdout.
        let stderrData = LockedData()
        let stderrDrained = DispatchGroup()
        DispatchQueue.global().async(group: stderrDrained) {
            stderrData.set(errors.fileHandleForReading.readDataToEndOfFile())
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        stderrDrained.wait()
        process.waitUntilExit()
        killer.cancel()
        let stdout = String(decoding: data, as: UTF8.self)
        var run = HelperRun(
            helper: helper, status: process.terminationStatus, stdout: stdout,
            stderr: String(decoding: stderrData.value, as: UTF8.self))
        var current: String?
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "== end" {
                run.finished = true
                current = nil
            } else if line.hasPrefix("== ") {
                let name = String(line.dropFirst(3))
                run.order.append(name)
                run.sections[name] = []
                current = name
            } else if line.hasPrefix("!! timeout in ") {
                run.hungIn = String(line.dropFirst("!! timeout in ".count))
            } else if let name = current {
                run.sections[name, default: []].append(line)
            }
        }
        if timedOut.value && run.hungIn == nil { run.hungIn = run.order.last ?? "(before the first case)" }
        return run
    }

    /// Beside the test bundle (the build's products folder), else under the repository's .build*/debug.
    static func locate(_ helper: String) -> String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(helper).path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        if let all = try? FileManager.default.contentsOfDirectory(atPath: root.path) {
            candidates += all.filter { $0.hasPrefix(".build") }.sorted().map {
                root.appendingPathComponent("\($0)/debug/\(helper)").path
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The lines only in `reference` (-) and only in `other` (+), each at its index.
    static func diff(_ reference: [String], _ other: [String]) -> String {
        var lines: [String] = []
        for index in 0..<max(reference.count, other.count) {
            let left = index < reference.count ? reference[index] : nil
            let right = index < other.count ? other[index] : nil
            if left == right { continue }
            if let left { lines.append("- \(index): \(left)") }
            if let right { lines.append("+ \(index): \(right)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A missing helper fails every test that needs its output.
struct HelperNotBuilt: Error, CustomStringConvertible {
    let helper: String
    var description: String { "\(helper) not built: `swift build --product \(helper)`" }
}

/// `[runviz] code: FAIL (…)` → name "code", outcome "FAIL", detail "…".
struct RunvizCheck: CustomStringConvertible {
    let name: String
    let outcome: String
    let detail: String

    init?(_ line: String) {
        guard line.hasPrefix("[runviz] "), let colon = line.firstIndex(of: ":") else { return nil }
        name = String(line[line.index(line.startIndex, offsetBy: 9)..<colon])
        let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let space = rest.firstIndex(of: " ") ?? rest.endIndex
        outcome = String(rest[..<space])
        detail = String(rest[space...]).trimmingCharacters(in: .whitespaces)
    }

    var description: String { "\(name): \(outcome) \(detail)" }
}

/// Set once from the timeout's thread, read after the helper exited.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}

/// A helper's stderr, read on a thread of its own, taken after that thread is done.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ newData: Data) { lock.withLock { data = newData } }
    var value: Data { lock.withLock { data } }
}
