// `withTaskCancellationHandler`: the handler runs once when its task is cancelled during the
// operation (cancelled twice, still once), before the operation when the task was cancelled
// already, and never when the cancellation comes after the operation returned.

let cancellationHandlerCases: [ConformanceCase] = [
    ConformanceCase("cancellation handler: during the operation, once") { trace in
        let events = Events()
        let entered = Gate()
        let released = Gate()
        let task = Task {
            await withTaskCancellationHandler {
                events.append("operation started")
                entered.open()
                await released.wait()
                trace.onGlobal("operation after the handler released it")
                events.append("operation resumed, cancelled: \(Task.isCancelled)")
            } onCancel: {
                events.append("handler")
                released.open()
            }
        }
        await entered.wait()
        task.cancel()
        task.cancel()
        await task.value
        events.append("task finished")
        trace.line("events: \(events.all.joined(separator: " | "))")
    },

    ConformanceCase("cancellation handler: task cancelled before it") { trace in
        let events = Events()
        let cancelled = Gate()
        let task = Task {
            await cancelled.wait()
            trace.onGlobal("task after its cancellation")
            await withTaskCancellationHandler {
                events.append("operation, cancelled: \(Task.isCancelled)")
            } onCancel: {
                events.append("handler")
            }
        }
        task.cancel()
        cancelled.open()
        await task.value
        trace.line("events: \(events.all.joined(separator: " | "))")
    },

    ConformanceCase("cancellation handler: cancelled after the operation") { trace in
        let handlerRuns = Tally()
        let done = Gate()
        let proceed = Gate()
        let task = Task {
            await withTaskCancellationHandler {
                trace.onGlobal("operation")
            } onCancel: {
                handlerRuns.add()
            }
            done.open()
            await proceed.wait()
            return Task.isCancelled
        }
        await done.wait()
        task.cancel()
        proceed.open()
        let cancelled = await task.value
        trace.line("task cancelled: \(cancelled); handler runs after the operation returned: \(handlerRuns.value)")
    },
]
