// The dashboard's frame loop, the same for every frame source: each turn it asks the source for a
// frame (while the view is paused the source only takes in events and the screen keeps the frame
// it had; rewound, the frame the source rebuilds for the view's time cursor), renders it at the terminal's size, draws it, then waits up to one frame for a key and carries out what the key means —
// commands go to the source, quit ends the loop. It runs on the thread that owns the terminal;
// a live source is read from here, never from a runtime worker, so a stalled runtime cannot
// freeze the screen.

import RunvizObservation

public struct DashboardLoop {
    let source: any FrameSource
    let terminal: any DashboardTerminal
    let lessons: LessonCatalog
    /// Milliseconds per frame.
    let frameMillis: Int
    /// The source's clock (monotonic ns).
    let clock: () -> UInt64

    init(
        source: any FrameSource, terminal: any DashboardTerminal, lessons: LessonCatalog, fps: Int,
        clock: @escaping () -> UInt64
    ) {
        self.source = source
        self.terminal = terminal
        self.lessons = lessons
        self.frameMillis = 1000 / max(1, fps)
        self.clock = clock
    }

    /// The loop on the real terminal (tests hand the other initializer a scripted one).
    public init(
        source: any FrameSource, terminal: CursesTerminal, lessons: LessonCatalog, fps: Int,
        clock: @escaping () -> UInt64
    ) {
        self.init(source: source, terminal: terminal as any DashboardTerminal, lessons: lessons, fps: fps, clock: clock)
    }

    /// Runs until a quit key or until `shouldStop` (checked once a turn) says so.
    public func run(_ view: inout ViewState, until shouldStop: () -> Bool = { false }) {
        var frame: DashboardSnapshot?
        /// The instant `frame` was rebuilt for (nil: a live frame).
        var frameCursor: UInt64?
        /// The open worker timeline, and the window it was asked for.
        var timeline: WorkerTimeline?
        var timelineAsked: TimelineRequest?
        while !shouldStop() {
            var shown: DashboardSnapshot
            if let kept = frame, view.paused {
                source.update(now: clock())
                shown = kept
                view.holdCursor(in: source.history)
                if let cursor = view.cursor {
                    // Rebuilt once per cursor move; the window it sits in moves on every turn.
                    if cursor != frameCursor, let past = source.frame(at: cursor) {
                        frame = past
                        frameCursor = cursor
                        shown = past
                    }
                    shown.history = source.history
                }
            } else {
                shown = source.frame(now: clock())
                frame = shown
                frameCursor = nil
            }
            // A step walk begins once a frame carries its start (the timeline comes after `follow`).
            view.step?.place(in: shown.timeline)
            let (width, height) = terminal.size
            if let open = view.timeline {
                // Asked again only when the window moved (by whole columns) or was resized.
                let columns = WorkerTimelineOverlay.columns(width: width)
                let range = open.range(end: view.cursor ?? shown.runtime.takenAt, columns: columns)
                let asked = TimelineRequest(from: range.from, to: range.to, columns: columns)
                if asked != timelineAsked {
                    timeline = source.workerTimeline(from: range.from, to: range.to, columns: columns)
                    timelineAsked = asked
                }
                if let rows = timeline?.rows.count, open.row >= rows { view.timeline?.row = max(0, rows - 1) }
            } else {
                timeline = nil
                timelineAsked = nil
            }
            terminal.draw(Dashboard.render(shown, view, width: width, height: height, timeline: timeline))
            guard let key = terminal.readKey(timeoutMillis: frameMillis) else { continue }
            for effect in view.handle(key, snapshot: shown, lessons: lessons, width: width, height: height) {
                switch effect {
                case .quit: return
                case .command(let command):
                    source.apply(command)
                    // A rewound frame shows what the source follows now: rebuild it (Enter, w).
                    frameCursor = nil
                }
            }
        }
    }
}

/// The window a worker timeline was asked for: the loop asks again only when it changes.
private struct TimelineRequest: Equatable {
    var from: UInt64
    var to: UInt64
    var columns: Int
}
