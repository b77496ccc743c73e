// A recording played back as a frame source: the same dashboard over a file, with no runtime and
// no sockets. It feeds the recorded observations to an ObservedRun (the Observer and the history
// for the rewind keys) at the pace they were recorded (recorded time = first observation + wall
// time since the first frame), so the frames are the ones the live run drew. At the end
// it holds the last frame. Commands that act on a runtime are declined, and the next frames say
// so; following a task works (the Observer records its timeline from then on).

import RunvizObservation

public final class ReplaySource: FrameSource {
    public let file: RecordingFile
    private var run: ObservedRun
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
        run = ObservedRun(setup: file.setup, history: history)
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
            _ = run.take(next)
            recordedNow = next.now
        }
    }

    public func frame(now: UInt64) -> DashboardSnapshot {
        update(now: now)
        // A recording without a view (serve) holds update turns only: they are published as they come.
        return decorate(run.latestFrame() ?? ObservedRun.idleFrame(file.setup))
    }

    public func frame(at instant: UInt64) -> DashboardSnapshot? { run.frame(at: instant).map(decorate) }

    public var history: HistorySpan? { run.history }

    public func workerTimeline(from: UInt64, to: UInt64, columns: Int) -> WorkerTimeline? {
        run.workerTimeline(from: from, to: to, columns: columns)
    }

    public func apply(_ command: Command) {
        switch command {
        case .follow(let task): run.follow(task)
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
        frame.replay = position
        if let notice = notice ?? problem { frame.demos.lastAction = notice }
        return frame
    }
}
