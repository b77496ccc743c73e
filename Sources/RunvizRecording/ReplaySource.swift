// A recording played back as a frame source: the same dashboard over a file, with no runtime and
// no sockets. It feeds the recorded observations to an Observer at the pace they were recorded
// (recorded time = first observation + wall time since the first frame), so the frames are the
// ones the live run drew, and keeps them in an ObservationHistory for the rewind keys. At the end
// it holds the last frame. Commands that act on a runtime are declined, and the next frames say
// so; following a task works (the Observer records its timeline from then on).

import RunvizObservation

public final class ReplaySource: FrameSource {
    public let file: RecordingFile
    private var observer: Observer
    private var past: ObservationHistory
    private var lastFrame: DashboardSnapshot?
    /// The last observation taken, when it was an update turn (its frame is published on demand).
    private var lastUpdate: Observation?
    /// The next observation, read but not yet due.
    private var pending: Observation?
    /// Wall clock and recorded time at the first call: the pace's origin.
    private var origin: (wall: UInt64, recorded: UInt64)?
    private var recordedNow: UInt64
    public private(set) var ended = false
    /// Observations the recorder dropped (gap blocks), and why playback stopped early, if it did.
    public private(set) var droppedObservations: UInt64 = 0
    public private(set) var problem: String?
    private var notice: String?

    public init(file: RecordingFile, history: ObservationHistory.Limits = ObservationHistory.Limits()) {
        self.file = file
        observer = Observer(setup: file.setup)
        past = ObservationHistory(limits: history)
        recordedNow = file.setup.startedAt
    }

    public func update(now: UInt64) {
        let origin = self.origin ?? start(at: now)
        let target = origin.recorded &+ (now &- origin.wall)
        while !ended {
            guard let next = pending ?? read() else { break }
            guard next.now <= target else {
                pending = next
                break
            }
            pending = nil
            past.record(next, before: observer)
            if let frame = observer.take(next) {
                lastFrame = frame
                lastUpdate = nil
            } else {
                lastUpdate = next
            }
            recordedNow = next.now
        }
    }

    public func frame(now: UInt64) -> DashboardSnapshot {
        update(now: now)
        // A recording without a view (serve) holds update turns only: publish them as they come.
        if let update = lastUpdate {
            lastFrame = observer.frame(after: update)
            lastUpdate = nil
        }
        return decorate(lastFrame ?? emptyFrame())
    }

    public func frame(at instant: UInt64) -> DashboardSnapshot? {
        guard var frame = past.frame(at: instant) else { return nil }
        // The task followed now, with its steps up to the instant (followed from the history).
        if let timeline = observer.followedTimeline(upTo: instant) { frame.timeline = timeline }
        return decorate(frame)
    }

    public var history: HistorySpan? { past.span }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        past.workerTimeline(from: from, to: to, columns: columns)
    }

    public func apply(_ command: Command) {
        switch command {
        case .follow(let task): observer = past.following(task, observer)
        default: notice = "a recording cannot act on a runtime: this key does nothing in a replay"
        }
    }

    /// Where playback is: recorded time since the runtime started, and whether the file is done.
    public var position: ReplayPosition {
        ReplayPosition(
            path: file.path, at: recordedNow &- file.setup.startedAt, ended: ended,
            droppedObservations: droppedObservations, problem: problem)
    }

    private func start(at now: UInt64) -> (wall: UInt64, recorded: UInt64) {
        let first = read()
        pending = first
        let o = (wall: now, recorded: first?.now ?? file.setup.startedAt)
        origin = o
        return o
    }

    /// The next observation in the file (gaps counted on the way); nil at the end or on damage.
    private func read() -> Observation? {
        while true {
            let item: RecordingItem?
            do { item = try file.next() } catch {
                ended = true
                problem = "\(error); replayed what came before"
                return nil
            }
            switch item {
            case .observation(let o)?: return o
            case .gap(let observations, _)?: droppedObservations &+= observations
            case nil:
                ended = true
                if file.truncated > 0 {
                    problem =
                        "the recording ends mid-block (\(file.truncated) bytes cut off); replayed what came before"
                }
                return nil
            }
        }
    }

    private func decorate(_ frame: DashboardSnapshot) -> DashboardSnapshot {
        var frame = frame
        frame.history = past.span
        frame.replay = position
        if let notice = notice ?? problem { frame.demos.lastAction = notice }
        return frame
    }

    /// The frame before the first recorded frame turn: the setup's runtime, idle.
    private func emptyFrame() -> DashboardSnapshot {
        var copy = Observer(setup: file.setup)
        let idle = Observation(
            turn: .frame, now: file.setup.startedAt, counters: .idle(workers: file.setup.configuration.workers))
        return copy.take(idle)!
    }
}
