// `Task.yield`: two tasks that each wait for the other's progress by yielding go forward in
// lockstep (neither starves the other), and a task yielding inside an actor method lets another
// call onto the actor before it goes on.

import Synchronization

let progressA = Atomic<Int>(0)
let progressB = Atomic<Int>(0)

/// Goes `rounds` steps, each after the other side reached the same step, yielding while it waits.
func lockstep(_ mine: borrowing Atomic<Int>, _ theirs: borrowing Atomic<Int>, rounds: Int) async -> Int {
    var yields = 0
    for round in 1...rounds {
        mine.store(round, ordering: .releasing)
        while theirs.load(ordering: .acquiring) < round {
            await Task.yield()
            yields += 1
        }
    }
    return rounds
}

actor Turnstile {
    var otherCallCameIn = false

    func spinUntilAnotherCall(entered: Gate, _ trace: Trace) async -> Bool {
        entered.open()
        var yields = 0
        while !otherCallCameIn && yields < 1_000_000 {
            await Task.yield()
            yields += 1
        }
        trace.onGlobal("actor method after Task.yield")
        return otherCallCameIn
    }

    func comeIn() { otherCallCameIn = true }
}

let yieldCases: [ConformanceCase] = [
    ConformanceCase("Task.yield: two yielding tasks progress together") { trace in
        progressA.store(0, ordering: .relaxed)
        progressB.store(0, ordering: .relaxed)
        let a = Task { await lockstep(progressA, progressB, rounds: 200) }
        let b = Task { await lockstep(progressB, progressA, rounds: 200) }
        let (roundsA, roundsB) = (await a.value, await b.value)
        trace.onGlobal("after the lockstep")
        trace.line("rounds in lockstep: A \(roundsA), B \(roundsB)")
    },

    ConformanceCase("Task.yield: inside an actor lets another call in") { trace in
        let turnstile = Turnstile()
        let entered = Gate()
        async let spun = turnstile.spinUntilAnotherCall(entered: entered, trace)
        await entered.wait()
        await turnstile.comeIn()
        trace.line("the yielding method saw the other call: \(await spun)")
    },
]
