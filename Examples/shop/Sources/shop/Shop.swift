// shop [--orders-per-second N] [--duration S] [--default-executor]
//
// An ordinary Swift concurrency program, written with nothing of runviz's: orders arrive as
// `Task {}`s; each one checks three warehouses at once in a task group (each a `Task.sleep` standing
// in for a network call), asks the price and reserves the stock with two `async let`s, the stock
// kept by an actor; a legacy callback API (a Dispatch queue) confirms the payment through a
// continuation; once a second a summary hops to `@MainActor` and is printed. The first line of its
// `async main` puts the whole program on runviz (`Runtime.installAsGlobalExecutor`); the second makes
// it watchable (`runtime.watch()`: set RUNVIZ_TELEMETRY, for example to 127.0.0.1:6670, and run
// `runviz attach 127.0.0.1:6670` in another terminal). `--default-executor` skips both lines, to
// compare with Swift's own executor. Stops after --duration seconds, or on Ctrl-C.

import Dispatch
import Glibc
import RunvizRuntime
import RunvizWatch

struct Options {
    var ordersPerSecond = 20
    var duration: Double?
    var onRunviz = true

    static let usage = "usage: shop [--orders-per-second N] [--duration S] [--default-executor]"

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func fail(_ message: String) -> Never {
            say("shop: \(message)\n\(Self.usage)", to: 2)
            exit(64)
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--orders-per-second":
                guard let n = rest.popFirst().flatMap({ Int($0) }), (1...10_000).contains(n) else {
                    fail("--orders-per-second must be 1…10000")
                }
                ordersPerSecond = n
            case "--duration":
                guard let s = rest.popFirst().flatMap({ Double($0) }), s > 0 else {
                    fail("--duration must be positive")
                }
                duration = s
            case "--default-executor": onRunviz = false
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default: fail("unknown option \(flag)")
            }
        }
    }
}

/// The stock, one actor: reservations never interleave.
actor Inventory {
    private var stock: [String: Int] = ["kettle": 1_000_000, "teapot": 1_000_000, "mug": 1_000_000]
    private(set) var reserved = 0

    func reserve(_ item: String) -> Bool {
        guard let left = stock[item], left > 0 else { return false }
        stock[item] = left - 1
        reserved += 1
        return true
    }
}

/// A warehouse's answer after a network round trip (a sleep of 5–30 ms).
func warehouseHas(_ item: String, warehouse: Int) async throws -> Bool {
    try await Task.sleep(for: .milliseconds(Int.random(in: 5...30)))
    return (item.count + warehouse) % 3 != 0
}

func price(of item: String) async throws -> Int {
    try await Task.sleep(for: .milliseconds(2))
    return item.count * 7
}

/// A payment service with a callback API, as many C and Dispatch-era libraries have.
func confirmPayment(_ amount: Int, completion: @escaping @Sendable (Bool) -> Void) {
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(3)) { completion(amount > 0) }
}

func order(_ item: String, inventory: Inventory) async throws -> Bool {
    let available = try await withThrowingTaskGroup(of: Bool.self) { group in
        for warehouse in 0..<3 { group.addTask { try await warehouseHas(item, warehouse: warehouse) } }
        return try await group.contains(true)
    }
    guard available else { return false }
    async let cost = price(of: item)
    async let reserved = inventory.reserve(item)
    guard await reserved else { return false }
    let amount = try await cost
    return await withCheckedContinuation { continuation in
        confirmPayment(amount) { continuation.resume(returning: $0) }
    }
}

/// One line to fd 1 (or `fd`), unbuffered, so a pipe sees it at once.
func say(_ line: String, to fd: Int32 = 1) {
    var text = line + "\n"
    text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

@MainActor var summary = (placed: 0, confirmed: 0)

@MainActor func report(seconds: Int, reserved: Int) {
    say(
        "shop: \(seconds) s, \(summary.placed) orders placed, \(summary.confirmed) confirmed, "
            + "\(reserved) items reserved")
}

@main struct Shop {
    static func main() async throws {
        let options = Options(Array(CommandLine.arguments.dropFirst()))
        var runtime: Runtime?
        if options.onRunviz {
            // The two lines: every job of this program on runviz's workers, and watchable.
            runtime = try Runtime.installAsGlobalExecutor()
            try runtime?.watch()
        }
        let inventory = Inventory()
        let items = ["kettle", "teapot", "mug"]
        let start = ContinuousClock.now
        let orders = Task {
            var n = 0
            while !Task.isCancelled {
                let item = items[n % items.count]
                n += 1
                Task {
                    let confirmed = (try? await order(item, inventory: inventory)) ?? false
                    await MainActor.run {
                        summary.placed += 1
                        if confirmed { summary.confirmed += 1 }
                    }
                }
                try? await Task.sleep(for: .seconds(1) / options.ordersPerSecond)
            }
        }
        var seconds = 0
        while options.duration.map({ ContinuousClock.now - start < .seconds($0) }) ?? true {
            try await Task.sleep(for: .seconds(1))
            seconds += 1
            report(seconds: seconds, reserved: await inventory.reserved)
        }
        orders.cancel()
        runtime?.shutdown()
    }
}
