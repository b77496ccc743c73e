// What a viewer joining late is sent before the live stream, kept on the observer thread: the
// observations of the last `seconds` (at most `bytes`), already encoded, in segments that each
// begin with a sync point (an empty gap block, which puts encoder and decoder back on the default
// delta base) so a fresh decoder can start at any segment; and, for what happened before the
// oldest segment, a catch-up observation: every name seen so far, and the spawn, last park and fd
// registrations of the tasks and fds still alive. So a viewer that joins an hour in still sees
// the accept loop and every idle connection's task with its name and what it waits on, not only
// the tasks that happened to run in the last seconds.
//
// Invariants: segments are in time order and the newest is the one being filled; each live entry
// remembers the observation it arrived in, and the catch-up holds only entries from before the
// oldest segment (later ones arrive in the segments themselves, so nothing is sent twice).

import RunvizObservation
import RunvizTelemetry

struct JoinWindow {
    struct Segment {
        /// The first observation in it, by number, and its time.
        var first: UInt64
        var time: UInt64
        /// Names seen before it: the catch-up carries these.
        var namesBefore: Int
        /// The readings of the observation before it, for the catch-up's own.
        var before: Reading
        var chunks: [DataChunk] = []
        var bytes = 0
    }

    struct Reading {
        var now: UInt64 = 0
        var counters = CounterReading.idle(workers: 0)
        var echo = EchoReading()
    }

    private struct LiveTask {
        var spawn: RuntimeEvent
        var spawnedIn: UInt64
        var park: RuntimeEvent?
        var parkedIn: UInt64 = 0
    }

    let seconds: Double
    let maxBytes: Int
    /// About how often a segment starts (observed time, ns).
    let segmentNanos: UInt64 = 1_000_000_000

    private(set) var names: [String] = []
    private var tasks: [UInt64: LiveTask] = [:]
    private var fds: [Int32: (event: RuntimeEvent, arrivedIn: UInt64)] = [:]
    private(set) var segments: [Segment] = []
    private(set) var bytes = 0
    /// The number the next observation gets.
    private var next: UInt64 = 0
    private var last = Reading()

    init(seconds: Double, maxBytes: Int) {
        self.seconds = seconds
        self.maxBytes = maxBytes
    }

    func isSegmentDue(at now: UInt64) -> Bool {
        guard let current = segments.last else { return true }
        return now &- current.time >= segmentNanos
    }

    mutating func startSegment(at now: UInt64) {
        segments.append(Segment(first: next, time: now, namesBefore: names.count, before: last))
    }

    /// Takes in observation `o`, whose encoded frame is `chunk`, into the newest segment.
    mutating func take(_ o: Observation, encoded chunk: DataChunk) {
        let number = next
        next += 1
        names.append(contentsOf: o.newNames)
        for e in o.events {
            switch e.fact {
            case .spawned(let task, _, _, _): tasks[task.raw] = LiveTask(spawn: e, spawnedIn: number)
            case .parked(let task, _, _, _):
                if tasks[task.raw] != nil {
                    tasks[task.raw]!.park = e
                    tasks[task.raw]!.parkedIn = number
                }
            case .completed(let task, _), .cancelled(let task, _): tasks[task.raw] = nil
            case .fdRegistered(let fd, _, _, _): fds[fd] = (e, number)
            case .fdDeregistered(let fd, _, _): fds[fd] = nil
            case .scheduled, .runStarted, .runFinished, .fdReady, .workerParked, .workerUnparked, .workerBlocked,
                .stole, .blockingStarted, .blockingFinished, .timerFired, .wrote, .handleAwaited, .handleDropped:
                break
            }
        }
        last = Reading(now: o.now, counters: o.counters, echo: o.echo)
        segments[segments.count - 1].chunks.append(chunk)
        segments[segments.count - 1].bytes += chunk.bytes.count
        bytes += chunk.bytes.count
        trim(now: o.now)
    }

    /// Drops the oldest segment while the window is over its memory, or while the one after it
    /// still covers `seconds`; the newest segment is always kept.
    private mutating func trim(now: UInt64) {
        let window = UInt64(max(0, seconds) * 1e9)
        while segments.count >= 2 {
            guard bytes > maxBytes || now &- segments[1].time >= window else { break }
            bytes -= segments[0].bytes
            segments.removeFirst()
        }
    }

    /// What happened before the oldest segment, as one observation (nil: nothing did).
    func catchUp() -> Observation? {
        guard let oldest = segments.first else { return nil }
        var events: [RuntimeEvent] = []
        for t in tasks.values where t.spawnedIn < oldest.first {
            events.append(t.spawn)
            if let park = t.park, t.parkedIn < oldest.first { events.append(park) }
        }
        for f in fds.values where f.arrivedIn < oldest.first { events.append(f.event) }
        let earlier = Array(names.prefix(oldest.namesBefore))
        guard !events.isEmpty || !earlier.isEmpty else { return nil }
        // Spawns first at equal times: a park or registration names a task already known.
        events.sort { ($0.time, $0.kind == .spawned ? 0 : 1) < ($1.time, $1.kind == .spawned ? 0 : 1) }
        let before = oldest.before
        let now = max(before.now, events.last?.time ?? 0)
        return Observation(
            turn: .update, now: now, events: events, newNames: earlier,
            counters: before.counters, echo: before.echo)
    }

    /// Every chunk held, oldest first.
    var chunks: [DataChunk] { segments.flatMap(\.chunks) }
}

/// One data frame ready to send, shared by every viewer's queue (arrays are copied on write, and
/// nobody writes them again): its bytes and the observations in it.
struct DataChunk {
    var bytes: [UInt8]
    var observations: Int
}
