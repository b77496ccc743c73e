// What the exporter holds between events: per worker its open job's wake and last marker (the job
// or sleep itself is in WorkerSpells); per blocking thread its open job; per queued task the wake
// that queued it. Plain values, each dropped as soon as the slice or flow it waits for is written.

import RunvizTelemetry

extension PerfettoExporter {
    /// What a worker's track holds besides its open spell (WorkerSpells).
    struct WorkerTrack {
        /// What scheduled the open job (nil: its wake was not recorded, or no job is open).
        var wake: Wake?
        /// How the open job ended: "parked on fd 7 read", "completed"…
        var then: String?
        /// The marker drawn last on this track while nothing was open, until the track moves on.
        var marker: Marker?
    }

    struct BlockingRun {
        /// The task that submitted the job and waits for it.
        let task: UInt64
        let job: UInt64
        let start: UInt64
    }

    /// A zero-length slice drawn where a wake began on a thread with nothing open, so the wake's
    /// flow has a slice to start from.
    struct Marker {
        enum Cause: Equatable {
            case fd(Int32)
            case timer(deadline: UInt64)
            case wake
        }

        let time: UInt64
        let cause: Cause

        /// Whether a `scheduled` event from `source` with `argument` is this marker's doing.
        func explains(_ source: WakeSource, _ argument: UInt64) -> Bool {
            switch (cause, source) {
            case (.fd(let fd), .io): return UInt64(UInt32(bitPattern: fd)) == argument
            case (.timer(let deadline), .timer): return deadline == argument
            default: return false
            }
        }
    }

    /// A `scheduled` event waiting for its task's next run, and where its flow starts.
    struct Wake {
        let source: WakeSource
        /// The fd, the waking task, the timer's deadline… (see `RuntimeEvent.Kind.scheduled`).
        let argument: UInt64
        let queue: ReadyQueue
        let ahead: UInt32
        let at: UInt64
        /// The track and time the flow starts from.
        let tid: Int
        let flowAt: UInt64

        /// This enqueue of no named cause, known to be the task's creation (a spawn whose `argument`
        /// is the task whose job created it).
        var creation: Wake {
            Wake(
                source: .spawn, argument: argument, queue: queue, ahead: ahead, at: at, tid: tid, flowAt: flowAt)
        }

        /// The flow's name; `waker` labels `argument` as a task.
        func flowName(waker: String) -> String {
            switch source {
            case .spawn: return "spawn"
            case .io: return "fd \(argument) ready"
            case .timer: return "timer"
            case .task: return "woken by \(waker)"
            case .yield: return "yield"
            case .blockingPool: return "blocking job done"
            case .other:
                if argument == 0 { return "other" }
                return ForeignThread.nameID(in: argument) == nil ? "by the job of \(waker)" : "by \(waker)"
            }
        }

        /// What scheduled the job, for its slice's args.
        func description(waker: String) -> String {
            switch source {
            case .spawn:
                guard argument != 0, ForeignThread.nameID(in: argument) == nil else { return "spawn (its first run)" }
                return "spawn by the job of \(waker) (its first run)"
            case .io: return "fd \(argument) ready (epoll)"
            case .timer: return "timer expired"
            case .task: return "woken by \(waker)"
            case .yield: return "yielded"
            case .blockingPool: return "its blocking-pool job finished"
            case .other:
                if argument == 0 { return "other" }
                return ForeignThread.nameID(in: argument) == nil ? "the job of \(waker)" : "resumed by \(waker)"
            }
        }
    }
}
