// AsyncStream: elements arrive in the order yielded, `finish` ends the iteration and later yields
// report `terminated`, the termination handler runs once with why (finished, or the consumer
// cancelled), the buffering policies keep the newest or the oldest elements and say which yields
// dropped, and a throwing stream's error reaches the consumer.

let asyncStreamCases: [ConformanceCase] = [
    ConformanceCase("AsyncStream: order and finish") { trace in
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let terminations = Events()
        continuation.onTermination = { termination in terminations.append("\(termination)") }
        let producer = Task {
            for value in 0..<1000 { continuation.yield(value) }
            continuation.finish()
            trace.onGlobal("producer")
        }
        var received: [Int] = []
        for await value in stream { received.append(value) }
        await producer.value
        trace.line("received \(received.count) elements, in order: \(received == Array(0..<1000))")
        trace.line("yield after finish: \(continuation.yield(1))")
        trace.line("termination handler calls: \(terminations.all)")
        trace.onGlobal("consumer")
    },

    ConformanceCase("AsyncStream: consumer cancelled") { trace in
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let terminations = Events()
        let terminated = Gate()
        continuation.onTermination = { termination in
            terminations.append("\(termination)")
            terminated.open()
        }
        let firstReceived = Gate()
        let consumer = Task {
            var count = 0
            for await _ in stream {
                count += 1
                firstReceived.open()
            }
            trace.onGlobal("consumer after its loop")
            return count
        }
        continuation.yield(1)
        await firstReceived.wait()
        consumer.cancel()
        let count = await consumer.value
        await terminated.wait()
        trace.line("consumer received before cancellation: \(count)")
        trace.line("termination handler calls: \(terminations.all)")
        trace.line("yield after the consumer was cancelled: \(continuation.yield(2))")
    },

    ConformanceCase("AsyncStream: buffering policies") { trace in
        for (name, policy) in [
            ("bufferingNewest(3)", AsyncStream<Int>.Continuation.BufferingPolicy.bufferingNewest(3)),
            ("bufferingOldest(3)", .bufferingOldest(3)), ("unbounded", .unbounded),
        ] {
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: policy)
            let results = (1...6).map { "\(continuation.yield($0))" }
            continuation.finish()
            var received: [Int] = []
            for await value in stream { received.append(value) }
            trace.line("\(name): yields \(results.joined(separator: ", ")); received \(received)")
        }
        trace.onGlobal("case body")
    },

    ConformanceCase("AsyncThrowingStream: error reaches the consumer") { trace in
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self)
        Task {
            continuation.yield(1)
            continuation.yield(2)
            continuation.finish(throwing: Failure(code: 9))
        }
        var received: [Int] = []
        do {
            for try await value in stream { received.append(value) }
            trace.line("stream ended without an error")
        } catch {
            trace.onGlobal("consumer after the error")
            trace.line("received \(received), then: \(error)")
        }
    },
]
