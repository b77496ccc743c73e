// The wake that put a task in a run queue (a `scheduled` event), kept on its TaskRecord until the
// task's next run starts and turns it into a scheduling latency and a wakeup chain.

import RunvizTelemetry

struct PendingWake: Equatable {
    var argument: UInt64
    var at: UInt64
    var aheadCount: UInt32
    var source: WakeSource
    /// The queue's event code (a worker index, or `RuntimeEvent.injectQueue`): one byte per queued task.
    var queue: UInt8
    /// What the task was parked on when woken (nil: it was not parked, or on nothing named).
    var parkedOn: ParkKind?

    init(source: WakeSource, argument: UInt64, ahead: Int, queue: ReadyQueue, at: UInt64) {
        self.argument = argument
        self.at = at
        self.aheadCount = UInt32(clamping: ahead)
        self.source = source
        self.queue = queue.code
    }

    var ahead: Int { Int(aheadCount) }

    /// The task whose job woke `task` (WakeSource.wakingTask).
    func wakingTask(of task: TaskID) -> TaskID? { source.wakingTask(argument: argument, of: task) }
}
