// `async let`: child values arrive, nested recursion gives the right answer, and a throwing child
// leaves the scope with its error while the sibling left un-awaited is cancelled and awaited.

func square(_ value: Int, _ trace: Trace) async -> Int {
    trace.onGlobal("async let child")
    return value * value
}

func fibonacci(_ n: Int) async -> Int {
    if n < 2 { return n }
    async let a = fibonacci(n - 1)
    async let b = fibonacci(n - 2)
    return await a + b
}

func untilCancelled(_ sawCancellation: Tally) async -> Int {
    await waitUntilCancelled()
    if Task.isCancelled { sawCancellation.add() }
    return 1
}

func failAfter(_ started: Gate) async throws -> Int {
    await started.wait()
    throw Failure(code: 1)
}

let asyncLetCases: [ConformanceCase] = [
    ConformanceCase("async let: values") { trace in
        async let three = square(3, trace)
        async let four = square(4, trace)
        let sum = await three + four
        trace.line("3² + 4² through two async lets: \(sum)")
        trace.line("fibonacci(15) through async lets: \(await fibonacci(15))")
        trace.onGlobal("parent after its async lets")
    },

    ConformanceCase("async let: a throwing child cancels its sibling") { trace in
        let sawCancellation = Tally()
        let started = Gate()
        do {
            async let slow = untilCancelled(sawCancellation)
            async let failing = failAfter(started)
            started.open()
            let value = try await failing
            trace.line("failing returned \(value)")
            _ = await slow
        } catch {
            trace.line("caught: \(error)")
        }
        trace.line("sibling cancelled and awaited before the scope ended: \(sawCancellation.value == 1)")
        trace.onGlobal("parent after the scope")
    },
]
