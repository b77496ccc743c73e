// Continuations resumed from threads Swift does not run: a thread of the process's own, a
// Dispatch global queue, Dispatch's main queue (drained: the helpers have an async main), and
// synchronously inside the closure; with a value, with an error, checked and unsafe. The task goes
// on, after each, on the global executor with the value it was given.

import Dispatch

let continuationCases: [ConformanceCase] = [
    ConformanceCase("continuations resumed from other threads") { trace in
        let fromThread = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            startThread(named: "conf-foreign") { continuation.resume(returning: 1) }
        }
        trace.onGlobal("after a resume from a thread of our own")
        trace.line("from a thread of our own: \(fromThread)")

        let fromGlobalQueue = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            DispatchQueue.global().async { continuation.resume(returning: 2) }
        }
        trace.onGlobal("after a resume from DispatchQueue.global()")
        trace.line("from DispatchQueue.global(): \(fromGlobalQueue)")

        let fromMainQueue = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            DispatchQueue.main.async { continuation.resume(returning: onMainQueue()) }
        }
        trace.onGlobal("after a resume from DispatchQueue.main")
        trace.line("from DispatchQueue.main, resumed by a block on the main queue: \(fromMainQueue)")

        do {
            let _: Int = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(throwing: Failure(code: 4)) }
            }
            trace.line("throwing continuation returned")
        } catch {
            trace.onGlobal("after a resume throwing from DispatchQueue.global()")
            trace.line("throwing continuation threw: \(error)")
        }

        let unsafe = await withUnsafeContinuation { (continuation: UnsafeContinuation<Int, Never>) in
            startThread(named: "conf-foreign") { continuation.resume(returning: 5) }
        }
        trace.onGlobal("after an unsafe continuation resumed from a thread of our own")
        trace.line("unsafe continuation from a thread of our own: \(unsafe)")

        let immediate = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            continuation.resume(returning: 6)
        }
        trace.line("resumed inside its closure: \(immediate)")

        let many = await withTaskGroup(of: Int.self) { group in
            for value in 0..<50 {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                        if value.isMultiple(of: 2) {
                            DispatchQueue.global().async { continuation.resume(returning: value) }
                        } else {
                            startThread(named: "conf-foreign") { continuation.resume(returning: value) }
                        }
                    }
                }
            }
            return await group.reduce(0, +)
        }
        trace.line("50 continuations resumed from foreign threads, sum: \(many)")
    }
]
