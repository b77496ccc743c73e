// What every worker and blocking-pool thread did over a stretch [from, to), cut into equal
// columns: the worker timeline of Go's trace viewer, one character per column. Each cell keeps the
// dominant state of its slice (the state covering most of it; a job of any task counts as
// running), except that BLOCKED wins whenever it covers any part of the slice, so a blocked worker
// is never hidden at a coarse zoom. A job that lasted longer than the blocked threshold is BLOCKED
// for its whole length: the worker was held by it from its first instant, the watchdog only
// notices after the threshold. Each cell also keeps the stretch that represents it (the job or
// idle spell covering most of the slice) so a cursor can name it without the model keeping every
// job of the window. Built by `WorkerTimelineBuilder` from events, never from live state.

import RunvizTelemetry

public struct WorkerTimeline: Sendable, Equatable {
    /// A thread that has a row: a worker (by index), or a blocking-pool thread (by slot, from 1).
    public enum Thread: Hashable, Sendable, Comparable, CustomStringConvertible {
        case worker(Int)
        case blocking(Int)
        public var description: String {
            switch self {
            case .worker(let index): return "W\(index)"
            case .blocking(let slot): return "blk\(slot)"
            }
        }
    }

    /// What a thread was doing.
    public enum State: UInt8, Sendable, CaseIterable, Comparable {
        /// No observation covers this time (before the history, or before the thread's first event).
        case unknown
        /// A worker between jobs, looking for work.
        case searching
        /// Asleep: a worker on its parker, a blocking-pool thread waiting for a job.
        case idle
        /// A worker asleep inside epoll_wait (it holds the I/O driver).
        case epoll
        /// Running a job (a pool thread: a blocking job for its submitter).
        case running
        /// A worker held by one job past the blocked threshold.
        case blocked
        public static func < (a: State, b: State) -> Bool { a.rawValue < b.rawValue }
    }

    /// Why a job ran: the `.scheduled` event before it, or the task that submitted a blocking job.
    public enum Cause: Sendable, Equatable, CustomStringConvertible {
        case woken(WakeSource, arg: UInt64, readiness: Interest?)
        case submitted(by: TaskID)

        public var description: String {
            switch self {
            case .submitted(let task): return "submitted by \(task)"
            case .woken(let source, let arg, let readiness):
                switch source {
                case .spawn:
                    // A sighted task's creation names the job it was created in.
                    guard arg != 0, ForeignThread.nameID(in: arg) == nil else { return "spawn" }
                    return "spawn, during \(TaskID(arg))'s job"
                case .io:
                    let ready: String
                    switch readiness {
                    case .some(let r) where r.contains(.read): ready = "readable"
                    case .some(let r) where r.contains(.write): ready = "writable"
                    case .some(let r) where r.contains(.hangup): ready = "hung up"
                    default: ready = "ready"
                    }
                    return "fd \(arg) \(ready)"
                case .timer: return "timer"
                case .task: return arg == 0 ? "woken by a task" : "woken by \(TaskID(arg))"
                case .yield: return "yield"
                case .blockingPool: return "blocking job done"
                case .other:
                    if arg == 0 { return "other" }
                    if ForeignThread.nameID(in: arg) != nil { return "resumed by a thread" }
                    return "other, during \(TaskID(arg))'s job"

                }
            }
        }
    }

    /// One uninterrupted spell of one state on one thread: a job, or an idle/epoll/searching spell.
    public struct Stretch: Sendable, Equatable {
        public var state: State
        /// The job's task (0: none, or not a job).
        public var task: UInt64
        /// Monotonic ns; nil when it began before the events read (a job already running).
        public var start: UInt64?
        /// Monotonic ns; nil when it was still going on at the end of the events read.
        public var end: UInt64?
        public var cause: Cause?

        public init(state: State, task: UInt64 = 0, start: UInt64?, end: UInt64?, cause: Cause? = nil) {
            self.state = state
            self.task = task
            self.start = start
            self.end = end
            self.cause = cause
        }
    }

    public struct Cell: Sendable, Equatable {
        public var state: State
        /// The task whose jobs covered most of the slice (running or blocked cells; 0 otherwise).
        public var task: UInt64
        /// Wakeups that put a job on this worker's queue during the slice.
        public var wakeups: Int
        /// The stretch covering most of the slice in `state` (nil: unknown).
        public var stretch: Stretch?

        public init(state: State = .unknown, task: UInt64 = 0, wakeups: Int = 0, stretch: Stretch? = nil) {
            self.state = state
            self.task = task
            self.wakeups = wakeups
            self.stretch = stretch
        }
    }

    public struct Row: Sendable, Equatable {
        public var thread: Thread
        public var cells: [Cell]
    }

    /// A task that appears on the cells, with its name for the legend.
    public struct TaskLabel: Sendable, Equatable {
        public var task: TaskID
        /// Its spawn name ("" when unnamed or unknown).
        public var name: String
        /// Cells it holds (running or blocked), over all rows.
        public var cells: Int
        /// Of those, the BLOCKED ones (its letter does not show on them).
        public var blockedCells = 0
        public var description: String {
            if task == .none { return "jobs of no task" }
            return name.isEmpty ? task.description : "\(task) \(name)"
        }
    }

    /// Monotonic ns; `to` is excluded.
    public let from: UInt64
    public let to: UInt64
    public let nanosPerColumn: UInt64
    public let blockedThresholdNanos: UInt64
    /// Workers first (by index), then the blocking-pool threads seen in the window (by slot).
    public var rows: [Row]
    /// Tasks on the cells, most cells first (ties: lower id first): the legend's order.
    public var tasks: [TaskLabel]

    public var columns: Int { rows.first?.cells.count ?? Int((to - from) / max(1, nanosPerColumn)) }

    /// The slice of column `column`: [start, end).
    public func slice(_ column: Int) -> (start: UInt64, end: UInt64) {
        let start = from + UInt64(max(0, column)) * nanosPerColumn
        return (start, min(to, start + nanosPerColumn))
    }

    /// What the cursor on (`row`, `column`) names (nil: outside the rows).
    public func selection(row: Int, column: Int) -> Selection? {
        guard rows.indices.contains(row), rows[row].cells.indices.contains(column) else { return nil }
        let cell = rows[row].cells[column]
        let slice = slice(column)
        let label = tasks.first { $0.task.raw == cell.task }
        return Selection(
            thread: rows[row].thread, sliceStart: slice.start, sliceEnd: slice.end, cell: cell,
            taskName: label?.name ?? "")
    }

    /// A selected cell: its thread and slice, its state, and the stretch that represents it.
    public struct Selection: Sendable, Equatable {
        public var thread: Thread
        public var sliceStart: UInt64
        public var sliceEnd: UInt64
        public var cell: Cell
        public var taskName: String

        /// The job's length, or the spell's, as far as the events read show it.
        public func duration(until end: UInt64) -> UInt64? {
            guard let stretch = cell.stretch, let start = stretch.start else { return nil }
            return (stretch.end ?? end) &- start
        }
    }
}
