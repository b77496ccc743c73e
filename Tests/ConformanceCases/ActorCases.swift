// Actors: mutual exclusion (many concurrent calls, an exact count, and no two callers inside a
// synchronous method at once, watched from outside the actor with an atomic) and reentrancy (a
// method suspended at an await lets another call in and sees its change after the await).

import Synchronization

/// Callers inside `Account.deposit` right now, and the most ever seen.
let depositorsInside = Atomic<Int>(0)
let mostDepositorsInside = Atomic<Int>(0)

actor Account {
    var balance = 0
    var log: [Int] = []

    func deposit(_ caller: Int) {
        let inside = depositorsInside.add(1, ordering: .relaxed).newValue
        _ = mostDepositorsInside.max(inside, ordering: .relaxed)
        log.append(caller)
        let before = balance
        for _ in 0..<100 { log.append(-caller) }
        log.removeLast(100)
        balance = before + 1
        log.append(caller)
        depositorsInside.subtract(1, ordering: .relaxed)
    }

    /// Whether every caller's two log entries are next to each other (no call interleaved).
    var callsNeverInterleaved: Bool {
        stride(from: 0, to: log.count, by: 2).allSatisfy { log[$0] == log[$0 + 1] }
    }
}

actor Room {
    var state = "initial"

    func first(entered: Gate, resume: Gate, _ trace: Trace) async -> (before: String, after: String) {
        state = "set by first"
        let before = state
        entered.open()
        await resume.wait()
        trace.onGlobal("actor method after its await")
        return (before, state)
    }

    func second(resume: Gate) {
        state = "set by second"
        resume.open()
    }
}

let actorCases: [ConformanceCase] = [
    ConformanceCase("actor: mutual exclusion") { trace in
        let account = Account()
        mostDepositorsInside.store(0, ordering: .relaxed)
        await withTaskGroup(of: Void.self) { group in
            for task in 1...100 {
                group.addTask {
                    for call in 0..<100 { await account.deposit(task * 1000 + call) }
                }
            }
            group.addTask { trace.onGlobal("depositing child") }
        }
        trace.line("balance after 100 tasks × 100 deposits: \(await account.balance)")
        trace.line("most callers inside deposit at once: \(mostDepositorsInside.load(ordering: .relaxed))")
        trace.line("calls never interleaved: \(await account.callsNeverInterleaved)")
    },

    ConformanceCase("actor: reentrancy across an await") { trace in
        let room = Room()
        let entered = Gate()
        let resume = Gate()
        async let seen = room.first(entered: entered, resume: resume, trace)
        await entered.wait()
        await room.second(resume: resume)
        let (before, after) = await seen
        trace.line("first saw before its await: \(before); after it: \(after)")
        trace.line("state at the end: \(await room.state)")
    },
]
