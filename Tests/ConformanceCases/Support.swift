// What the cases share: printing whole lines from any thread, the current thread's name and
// whether it runs on the main queue, one-shot gates and latches to fix the order of events between
// tasks, a thread of the case's own (a foreign thread to Swift), and the error cases throw.
// Gates and latches hold their waiters under a RunvizLock lock, so ThreadSanitizer sees every
// hand-over; a gate opens once, and a waiter arriving after that passes at once.

import Dispatch
import Glibc
import RunvizLock
import RunvizSystem

enum Output {
    private static let stdoutLock = Lock<Void>(())

    static func print(_ text: String) {
        stdoutLock.withLock { _ in
            Swift.print(text)
            fflush(nil)
        }
    }
}

/// The name of the thread running this code ("runviz-w0" for a runviz worker), from /proc.
public func currentThreadName() -> String {
    guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = fread(&buffer, 1, 64, file)
    return String(decoding: buffer[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
}

/// Marks Dispatch's main queue, which runs main-actor jobs (`Conformance.run` sets it).
let mainQueueKey = DispatchSpecificKey<Bool>()

/// Whether this code runs on Dispatch's main queue: as main-actor code does. (Not "on the main
/// thread": with an async main on Linux, Dispatch drains the main
/// queue on a thread of its own: `gettid() != getpid()` in main-actor code, on either executor.)
func onMainQueue() -> Bool { DispatchQueue.getSpecific(key: mainQueueKey) == true }

/// A one-shot signal: `wait` suspends until `open`, or passes when it is open already.
final class Gate: Sendable {
    private enum State {
        case closed([CheckedContinuation<Void, Never>])
        case open
    }
    private let state = Lock<State>(.closed([]))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passNow = state.withLock { state -> Bool in
                switch state {
                case .open: return true
                case .closed(var waiters):
                    waiters.append(continuation)
                    state = .closed(waiters)
                    return false
                }
            }
            if passNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard case .closed(let waiters) = state else { return [] }
            state = .open
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A gate that opens once `count` arrivals have happened.
final class Latch: Sendable {
    private let remaining: Lock<Int>
    private let gate = Gate()

    init(_ count: Int) { remaining = Lock(count) }

    func arrive() {
        if remaining.withLock({ remaining -> Bool in
            remaining -= 1
            return remaining == 0
        }) {
            gate.open()
        }
    }

    func wait() async { await gate.wait() }
}

/// A counter many tasks add to.
final class Tally: Sendable {
    private let count = Lock(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// Lines appended from several tasks, in the order they were appended.
final class Events: Sendable {
    private let list = Lock<[String]>([])
    func append(_ event: String) { list.withLock { $0.append(event) } }
    var all: [String] { list.withLock { $0 } }
}

/// Suspends until the current task is cancelled (at once when it is cancelled already).
func waitUntilCancelled() async {
    let cancelled = Gate()
    await withTaskCancellationHandler {
        await cancelled.wait()
    } onCancel: {
        cancelled.open()
    }
}

struct Failure: Error, CustomStringConvertible {
    let code: Int
    var description: String { "Failure(\(code))" }
}

/// Runs `body` on a new thread of the process's own, named `name`: a thread Swift knows nothing of.
func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    do { try OSThread.startDetached(name: name, body) } catch { preconditionFailure("thread start failed: \(error)") }
}
